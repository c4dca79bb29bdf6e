// Builds the static web app in dist/app/: the page, its bundles (the app and the two Web Workers, one
// hashing on the CPU, one on WebGPU), the service worker that isolates it, and the wasm modules
// `npm run build:wasm` made. Every path
// in it is relative, so the folder works from any static host.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const OUT = 'dist/app';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: {
    app: 'src/ui/app/app.ts',
    worker: 'src/ui/app/worker.ts',
    'coi-sw': 'src/ui/app/coi-sw.ts',
    'gpu-worker': 'src/ui/app/gpu-worker.ts',
  },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(`src/ui/app/${file}`, `${OUT}/${file}`);
for (const file of ['sha256d-simd.wasm', 'sha256d-scalar.wasm']) copyFileSync(`dist/hash/${file}`, `${OUT}/${file}`);
