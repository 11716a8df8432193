import { defineConfig } from 'vitest/config';

// The chaos suites (`npm run test:chaos`): 50 plans while workers are killed and Redis restarts,
// on one host and on three network-namespace hosts sharing Redis and PostgreSQL. One file at a time.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
