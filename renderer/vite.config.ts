import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The renderer alone, for web mode (`npm run serve`); the desktop build goes through electron.vite.config.ts. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: { outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)), emptyOutDir: true },
  logLevel: 'warn',
});
