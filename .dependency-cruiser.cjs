/** The architecture as rules: `npm test` fails on an import cycle, on src/cli imported from another room, and on a platform import where the engine must run anywhere. */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules import one way: a cycle makes two modules one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-is-the-top-room',
      severity: 'error',
      comment: 'src/cli prints what the rest does; nothing else may depend on it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'engine-runs-anywhere',
      severity: 'error',
      comment:
        'The core, the Miner, the mining session and the scan code run in Node and in a browser: no node: module, except through the thread seam (src/worker/node-threads.ts, entry.ts).',
      from: {
        path: '^src/(core|miner|mining)/|^src/worker/(scan|runner|protocol|gpu-scan|gpu-runner|best-bar|range-hooks)\\.ts$|^src/hash/webgpu(-kernel)?\\.ts$|^src/events\\.ts$',
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'stratum-codec-runs-anywhere',
      severity: 'error',
      comment:
        'src/stratum is the Stratum codec and session shared by the pool, the Node client and a browser miner: no node: module, and nothing from the sockets above it (sources/stratum, pool).',
      from: { path: '^src/stratum/' },
      to: {
        pathNot: '^src/(core|miner/work\\.ts$|errors\\.ts$|sources/printable\\.ts$|stratum/)',
      },
    },
    {
      name: 'engine-reaches-node-only-through-seams',
      severity: 'error',
      comment: 'The engine may not import the Node thread glue or Node-only sources either.',
      from: { path: '^src/(core|miner|mining)/' },
      to: { path: '^src/(worker/(node-threads|entry|gpu-entry)|hash/webgpu-node|cli|dashboard)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
