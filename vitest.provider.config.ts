import { defineConfig } from 'vitest/config';

// Opt-in tests that need a Terraform provider mirror (not part of `npm test`).
export default defineConfig({
  test: { include: ['test/provider/**/*.test.ts'], testTimeout: 120_000 },
});
