import { expect, test } from '@playwright/test';
import { axeCheck, choices, newStory, passages, settled, shot, WebSession } from './pageHelpers.js';

/**
 * The settings page's writing and memory fields, a story's own settings and Play's heatmap switch, against the real
 * engine and model in web mode, by keyboard. Screenshots are kept as test artifacts.
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

test("a story's own passage length and phrases to avoid are kept after a reload; the length is dropped for the app's again", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await session.start();
  await newStory(page);

  // The story follows the app's settings (the server starts with --passage-tokens 60) until it sets one itself.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: "This story's settings" })).toBeVisible();
  const length = page.getByLabel('Passage length (tokens)');
  const marks = page.getByTestId('story-own');
  await expect(length).toHaveValue('60');
  await expect(marks).toHaveCount(0);
  await expect(page.getByRole('button', { name: "Use the app's settings for all" })).toHaveAttribute('aria-disabled', 'true');

  await length.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('24');
  await page.keyboard.press('Tab');
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(marks).toHaveText(["This story · the app's: 60"]);
  await expect(page.getByRole('button', { name: "Use the app's settings for all" })).toHaveAttribute('aria-disabled', 'false');
  await axeCheck(page, testInfo, 'story settings');
  await shot(page, testInfo, 'story-settings');

  // Phrases the story's passages never contain, typed one per line.
  const phrases = page.getByLabel('Phrases never to write');
  await phrases.fill('shivers down her spine\n  a chill ran  ');
  await page.getByRole('button', { name: 'Save phrases' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(phrases).toHaveValue('shivers down her spine\na chill ran');

  // Saved with the story: a fresh page reads it back.
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(length).toHaveValue('24');
  await expect(marks).toHaveText(["This story · the app's: 60"]);
  await expect(phrases).toHaveValue('shivers down her spine\na chill ran');

  // Back to the app's value, by keyboard; focus stays on the field whose button went away.
  await page.getByRole('button', { name: "Use the app's passage length (tokens)" }).focus();
  await page.keyboard.press('Enter');
  await expect(length).toHaveValue('60');
  await expect(marks).toHaveCount(0);
  await expect(length).toBeFocused();
});
