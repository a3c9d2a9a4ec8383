import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/model/**/*.test.ts'],
    environment: 'node',
    // Native addons (llama.cpp, SQLite) are happiest in forked processes; two at once match our two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
