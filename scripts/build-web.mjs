// Builds every web page with one esbuild configuration, from the one list below: each page's bundles
// (TypeScript, and the CSS it imports, the shared tokens and uPlot's included) and its static files
// into its folder under dist/. Every path in a page is relative to its folder, so the app works from
// any static host.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

/** Each page: its folder under dist/, its bundles by output name, and the files copied as they are. */
const PAGES = [
  {
    // The web app, with its two Web Workers (one hashing on the CPU, one on WebGPU), the service worker
    // that isolates it, and the wasm modules `npm run build:wasm` made. The pool serves it from here.
    out: 'dist/app',
    entries: {
      app: 'src/ui/app/app.ts',
      style: 'src/ui/app/style.css',
      worker: 'src/ui/app/worker.ts',
      'coi-sw': 'src/ui/app/coi-sw.ts',
      'gpu-worker': 'src/ui/app/gpu-worker.ts',
    },
    copies: [
      'src/ui/app/index.html',
      'src/ui/app/favicon.svg',
      'dist/hash/sha256d-simd.wasm',
      'dist/hash/sha256d-scalar.wasm',
    ],
  },
  {
    // The mining dashboard, where src/dashboard/server.ts reads it.
    out: 'dist/dashboard/page',
    entries: { dashboard: 'src/ui/dashboard/dashboard.ts' },
    copies: ['src/ui/dashboard/index.html', 'src/ui/dashboard/favicon.svg'],
  },
  {
    // powlab node's page, where src/p2p/page.ts reads it.
    out: 'dist/node/page',
    entries: { node: 'src/ui/node/node.ts' },
    copies: ['src/ui/node/index.html', 'src/ui/node/favicon.svg'],
  },
];

const entryPoints = {};
for (const page of PAGES) {
  rmSync(page.out, { recursive: true, force: true });
  mkdirSync(page.out, { recursive: true });
  for (const [name, path] of Object.entries(page.entries))
    entryPoints[`${page.out.slice('dist/'.length)}/${name}`] = path;
}
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const page of PAGES) for (const file of page.copies) copyFileSync(file, `${page.out}/${file.split('/').at(-1)}`);
