// @ts-check
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import longtale from './eslint/layering.js';

const svelteFiles = ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'];

export default defineConfig(
  { ignores: ['out/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/', '**/*.d.ts'] },

  // TypeScript, syntax-only (no type-aware rules: keeps lint fast).
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Svelte components and rune modules; <script lang="ts"> goes through the TS parser.
  {
    files: svelteFiles,
    extends: [svelte.configs['flat/recommended']],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },

  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  {
    files: ['{electron,native,test,scripts,bin,eslint}/**', '*.config.{js,ts}', 'renderer/*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },

  // Layering (eslint/layering.js): on for every file.
  { plugins: { longtale }, rules: { 'longtale/layering': 'error' } },
);
