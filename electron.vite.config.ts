import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          engineProcess: resolve('electron/transport/electronEngineProcess.ts'),
          cli: resolve('electron/cli/run.ts'),
        },
      },
    },
  },
  // A sandboxed preload cannot be an ES module.
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { preload: resolve('electron/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [svelte()],
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
