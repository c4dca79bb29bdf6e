import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Mining tests start worker threads; two files at once is all two cores can carry honestly.
    maxWorkers: 2,
  },
});
