import { defineConfig } from 'vitest/config';

// The chaos suite (`npm run test:chaos`): 50 plans while workers are killed and Redis restarts.
export default defineConfig({
  test: { include: ['test/chaos/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000 },
});
