import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './electron/bench/ui/chromiumLaunchOptions.js';

/** End-to-end tests in Debian's Chromium against web mode (never a downloaded browser). */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
