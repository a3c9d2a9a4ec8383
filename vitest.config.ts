import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Native addons (llama.cpp, SQLite) are happiest in forked processes; two at once match our two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/model/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The renderer's state classes and components: Svelte runes compiled for the browser, in jsdom.
        extends: true,
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/testing/setup.ts'],
          testTimeout: 10_000,
        },
      },
    ],
  },
});
