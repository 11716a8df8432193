import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Opt-in suites with their own commands: test:provider (needs a provider mirror), test:chaos (~2–3 min).
    exclude: ['test/provider/**', 'test/chaos/**', 'node_modules/**'],
    // End-to-end tests run the real CLI, Terraform and Redis; a loaded two-core machine is slow.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker keeps its module cache from one file to the next: importing the crew afresh for
    // every file cost about twice the CPU of the unit tests themselves. Files that change
    // process-wide settings put them back (test/unit/architecture/test-isolation.test.ts).
    isolate: false,
    // Integration tests start their own redis-server and terraform processes; two cores.
    maxWorkers: 2,
  },
});
