import { expect, test, type WebSocketRoute } from '@playwright/test';
import { choices, newStory, passages, settled, shot, WebSession } from './pageHelpers.js';

/**
 * What the reader sees when things go wrong, against the real engine and model in web mode: the engine failing
 * in the middle of a passage, and the connection to the engine dropping. Either way the failure is shown and
 * the story stays as it was. Screenshots are kept as test artifacts.
 */
/** With LONGTALE_TEST_FAULT set to it, a passage whose prompt holds this word fails mid-stream (test-only hook). */
const FAULT_WORD = 'Quixotrel';
let session: WebSession;

test.beforeEach(({ page }) => {
  session = new WebSession(page);
});

test.afterEach(async ({}, testInfo) => {
  await session.close(testInfo);
});

test('an engine error mid-stream is shown and the story is unchanged', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await session.start({ LONGTALE_TEST_FAULT: FAULT_WORD });
  await newStory(page);
  await expect(passages(page)).toHaveCount(1);
  const before = { text: await passages(page).allInnerTexts(), stats: await page.getByTestId('story-stats').innerText() };

  // The reader's own action carries the word: the real model starts writing, then fails after two pieces.
  await page.getByLabel('Or say what you do').fill(`I call out ${FAULT_WORD} to the river`);
  await page.getByRole('button', { name: 'Do it' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The model failed while writing.' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert).toContainText('failed mid-stream');
  await settled(page);
  await shot(page, testInfo, 'engine-error-mid-stream');
  expect(await passages(page).allInnerTexts()).toEqual(before.text);
  await expect(page.getByTestId('story-stats')).toHaveText(before.stats);
  // What was typed is still there to try again.
  await expect(page.getByLabel('Or say what you do')).toHaveValue(`I call out ${FAULT_WORD} to the river`);

  // Nothing half-written reached the store: a fresh page reads the same story, and the next choice works.
  await page.reload();
  await expect(passages(page)).toHaveCount(1);
  expect(await passages(page).allInnerTexts()).toEqual(before.text);
  await choices(page).first().click();
  await settled(page);
  await expect(passages(page)).toHaveCount(2);
});

test('a lost connection to the engine is shown; on reconnecting the story is read again, unchanged', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // Every WebSocket of the page goes through here: while `down`, connections are dropped and refused.
  let down = false;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/api$/u, (ws) => {
    if (down) return void ws.close({ code: 1012, reason: 'engine unreachable (test)' });
    ws.connectToServer();
    open.push(ws);
  });
  await session.start();
  await newStory(page);
  await expect(passages(page)).toHaveCount(1);
  const before = await passages(page).allInnerTexts();

  down = true;
  for (const ws of open.splice(0)) await ws.close({ code: 1012, reason: 'engine unreachable (test)' });
  await expect(page.getByTestId('connection-banner')).toContainText('Reconnecting to the engine');
  // The story stays on screen; asking the engine for anything says why it cannot.
  expect(await passages(page).allInnerTexts()).toEqual(before);
  await choices(page).first().click();
  await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to the engine.' })).toBeVisible();
  await shot(page, testInfo, 'connection-lost');
  await expect(passages(page)).toHaveCount(1);

  down = false;
  await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 30_000 });
  expect(await passages(page).allInnerTexts()).toEqual(before);
  await choices(page).first().click();
  await settled(page);
  await expect(passages(page)).toHaveCount(2);
  await shot(page, testInfo, 'reconnected');
});
