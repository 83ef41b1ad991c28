import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'migrations-examples/**/*.test.ts'],
    // Real databases: PGlite starts in seconds, server round trips add up.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    maxConcurrency: 4,
    reporters: process.env.CI === 'true' ? ['default'] : ['default'],
  },
});
