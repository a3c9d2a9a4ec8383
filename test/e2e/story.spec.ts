import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTestModel } from '../fixtures/testModel.js';
import { axeCheck } from './pageHelpers.js';
import { type RunningServer, startServer } from './webServerProcess.js';

const testModel = resolveTestModel();
let dir: string;
let server: RunningServer | undefined;

test.beforeAll(() => {
  console.info(testModel.reason);
});

test.beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-e2e-'));
});

test.afterEach(async ({}, testInfo) => {
  if (server && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server log', { body: server.output() });
  await server?.stop();
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const paths = () => ({ db: path.join(dir, 'stories.db'), home: path.join(dir, 'home') });

test('a story from premise to passage survives a reload and a server restart', async ({ page }, testInfo) => {
  server = await startServer({ ...paths(), model: testModel.path });
  await page.goto(server.url);
  await expect(page).toHaveURL(`${server.origin}/`); // the token moved from the address bar to a cookie

  await page.getByLabel('Premise').fill('A little fox learns to swim in the river');
  await page.getByRole('button', { name: 'Begin' }).click();

  const passage = page.getByTestId('passage');
  await expect(passage).toHaveCount(1);
  // The model proposes the title; the tiny test model's is not predictable, only present.
  await expect(page.getByTestId('story-title')).not.toBeEmpty();
  const title = (await page.getByTestId('story-title').textContent())?.trim() ?? '';
  const text = (await passage.textContent())?.trim() ?? '';
  expect(text.length).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('story.png') });

  await page.reload();
  await expect(page.getByTestId('passage')).toHaveText(text);

  await server.stop();
  server = await startServer(paths()); // no --model: the engine remembers the last one
  await page.goto(server.url);
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByTestId('passage')).toHaveText(text);
});

test('without a model the app asks for one and explains a bad path', async ({ page }) => {
  server = await startServer(paths());
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toBeVisible();

  const modelPath = page.getByLabel('Model file (.gguf)');
  await modelPath.fill(path.join(dir, 'missing.gguf'));
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByRole('alert')).toContainText('The model file does not exist.');

  const notGguf = path.join(dir, 'notes.gguf');
  fs.writeFileSync(notGguf, 'these are not weights');
  await modelPath.fill(notGguf);
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByRole('alert')).toContainText('The file is not a GGUF model.');

  await modelPath.fill(testModel.path);
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByLabel('Premise')).toBeVisible();
});

test('the page refuses to load without the access token', async ({ page }) => {
  server = await startServer(paths());
  const response = await page.goto(`${server.origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('access token');
});

test('an empty premise cannot be submitted', async ({ page }) => {
  server = await startServer({ ...paths(), model: testModel.path });
  await page.goto(server.url);
  const begin = page.getByRole('button', { name: 'Begin' });
  await expect(begin).toBeDisabled();
  await page.getByLabel('Premise').fill('   \n  ');
  await expect(begin).toBeDisabled();
  await page.getByLabel('Premise').fill('A lighthouse in the fog');
  await expect(begin).toBeEnabled();
});

test('the author’s own text becomes a story, read by the model, to continue in Write', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  server = await startServer({ ...paths(), model: testModel.path });
  await page.goto(server.url);
  const paragraphs = [
    'The lamp in the lighthouse went out at midnight.',
    'Mira climbed the stairs with a candle and a box of matches.',
    'Far below, the sea threw itself against the rocks.',
  ];
  await page.getByText('Or continue your own text').click();
  await page.getByLabel('Your text').fill(['# The Dark Lamp', ...paragraphs].join('\n\n'));
  await axeCheck(page, testInfo, 'continue your own text');
  await page.getByRole('button', { name: 'Continue this text' }).click();

  // Read passage by passage, then opened in Write: the first heading is the title, the paragraphs the passages.
  await expect(page).toHaveURL(/#\/story\/\d+\/write$/, { timeout: 120_000 });
  await expect(page.getByTestId('story-title')).toHaveText('The Dark Lamp');
  const manuscript = page.getByTestId('manuscript-passage');
  for (const paragraph of paragraphs) await expect(manuscript.filter({ hasText: paragraph })).toHaveCount(1);
  await expect(page.getByText(/not read yet/)).toHaveCount(0); // no stale notice: every passage was read
  await axeCheck(page, testInfo, 'write, own text');

  // The form again in the dark theme.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Dark (ink)').check();
  await page.getByRole('link', { name: 'Library' }).click();
  await page.getByText('Or continue your own text').click();
  await page.getByLabel('Your text').fill(paragraphs.join('\n\n'));
  await axeCheck(page, testInfo, 'continue your own text, dark');
});
