import { expect, test } from '@playwright/test';
import { choices, newStory, passages, settled, shot, WebSession } from './pageHelpers.js';

/**
 * The settings page's writing and memory fields and Play's heatmap switch, against the real engine and model in
 * web mode, by keyboard. Screenshots are kept as test artifacts.
 */
let session: WebSession;

test.beforeEach(({ page }) => {
  session = new WebSession(page);
});

test.afterEach(async ({}, testInfo) => {
  await session.close(testInfo);
});

test('a shorter passage length set on the settings page bounds the next passage; Play shows its heatmap', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await session.start();
  await newStory(page);
  const storyUrl = page.url();

  // Settings, by keyboard: the field is labelled, refuses a value out of range beside it, then takes a good one.
  await page.getByRole('link', { name: 'Settings' }).click();
  const length = page.getByLabel('Passage length (tokens)');
  await expect(length).toHaveValue('60');
  await length.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a number from 16 to 2000.' })).toBeVisible();
  await expect(length).toHaveAttribute('aria-invalid', 'true');
  await length.fill('16');
  await page.keyboard.press('Tab');
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByText('(default 60)')).toBeVisible();
  await shot(page, testInfo, 'settings-writing-and-memory');

  // Saved in the engine: a fresh page reads it back.
  await page.reload();
  await expect(page.getByLabel('Passage length (tokens)')).toHaveValue('16');

  // The next passage is written with it; the heatmap shows that passage's tokens, each with its value.
  await page.goto(storyUrl);
  await choices(page).first().click();
  await settled(page);
  await expect(passages(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Heatmap' }).click();
  const maps = page.getByTestId('heatmap');
  await expect(maps).toHaveCount(2);
  const tokens = maps.nth(1).getByRole('option');
  // At most 16 tokens were generated; scoring the kept text tokenizes it again, which can split a piece once more.
  expect(await tokens.count()).toBeGreaterThan(0);
  expect(await tokens.count()).toBeLessThanOrEqual(18);
  await maps.nth(1).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('heat-readout').nth(1)).toContainText(/Token 2 of \d+: .*surprisal\s+\d+\.\d\d nats/u);
  // Byte tokens of one character are shown joined (wholeCharacters); only a dangling run at the end has no text to hover.
  await tokens.filter({ visible: true }).first().hover();
  await expect(page.getByTestId('heat-readout').nth(1)).toContainText(/Token \d+ of \d+/u);
  await shot(page, testInfo, 'play-heatmap');
  await page.getByRole('button', { name: 'Heatmap' }).click();
  await expect(passages(page)).toHaveCount(2);
});
