import { expect, type Page, test, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTestModel } from '../fixtures/testModel.js';
import { axeCheck } from './pageHelpers.js';
import { type RunningServer, startServer } from './webServerProcess.js';

/**
 * The whole UI against the real engine and model in web mode: play, write, memory, map, auto-write and the
 * keyboard, with a screenshot of each view kept as a test artifact.
 */
const testModel = resolveTestModel();
let dir: string;
let server: RunningServer | undefined;
let cspViolations: string[] = [];

test.beforeEach(({ page }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-ui-'));
  cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });
});

test.afterEach(async ({}, testInfo) => {
  if (server && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server log', { body: server.output() });
  await server?.stop();
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  expect(cspViolations, 'no CSP violations').toEqual([]);
});

async function start(page: Page): Promise<void> {
  server = await startServer({ db: path.join(dir, 'stories.db'), home: path.join(dir, 'home'), model: testModel.path });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(server.url);
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Waits until nothing is being written: the streaming passage is gone. */
async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('streaming')).toHaveCount(0, { timeout: 60_000 });
}

async function newStory(page: Page, mode: 'Playing' | 'Co-writing' = 'Playing'): Promise<void> {
  await page.getByLabel('Premise').fill('A little fox learns to swim in the river');
  await page.getByLabel(mode).check();
  await page.getByRole('button', { name: 'Begin' }).click();
  await expect(page.getByTestId('story-title')).not.toBeEmpty({ timeout: 60_000 });
  await settled(page);
}

const passages = (page: Page) => page.getByTestId('passage');
const choices = (page: Page) => page.getByTestId('choices').getByRole('button');

test('play, undo, retry, edit memory, switch branch, auto-write', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await start(page);
  await expect(page.getByRole('heading', { name: 'Begin a story' })).toBeVisible();
  await shot(page, testInfo, '1-library');

  // Create a story and play three choices.
  await newStory(page);
  await expect(page).toHaveURL(/#\/story\/\d+\/play$/);
  await expect(passages(page)).toHaveCount(1);
  await expect(choices(page)).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await choices(page).nth(i).click();
    await settled(page);
    await expect(passages(page)).toHaveCount(i + 2);
  }
  await expect(page.getByText('You chose:')).toHaveCount(3);
  await shot(page, testInfo, '2-play');

  // Undo, then retry the passage we are back at: a sibling, with ‹ 2/2 › between the versions.
  const third = await passages(page).nth(2).innerText();
  await page.getByRole('button', { name: '↶ Undo' }).click();
  await expect(passages(page)).toHaveCount(3);
  await page.getByRole('button', { name: '↻ Tell it differently' }).click();
  await settled(page);
  await expect(passages(page)).toHaveCount(3);
  await expect(page.getByTestId('sibling-position')).toHaveText('2/2');
  await page.getByRole('button', { name: 'Previous version' }).click();
  await expect(page.getByTestId('sibling-position')).toHaveText('1/2');
  // innerText, as `third` was read: paragraphs are separate blocks, which textContent would run together.
  await expect.poll(() => passages(page).nth(2).innerText()).toBe(third);
  await page.getByRole('button', { name: 'Next version' }).click();
  await expect(page.getByTestId('sibling-position')).toHaveText('2/2');

  // Write view: edit the short-term memory, and see the edit in the next prompt.
  await page.getByTestId('view-write').click();
  await expect(page.getByTestId('manuscript-passage')).toHaveCount(3);
  const memory = page.getByTestId('short-memory');
  const marker = 'The fox keeps a blue pebble under her tongue.';
  await memory.fill(marker);
  await page.getByRole('button', { name: 'Save memory' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await shot(page, testInfo, '3-write');
  await page.getByRole('tab', { name: 'Next prompt' }).click();
  await expect(page.getByTestId('prompt-text')).toContainText(marker);
  await expect(page.getByTestId('prompt-sections').getByRole('meter').first()).toBeVisible();
  await shot(page, testInfo, '4-prompt-preview');

  // Map: switch to the other branch (the first version's continuation), and the memory changes with it.
  await page.getByTestId('view-map').click();
  const nodes = page.getByTestId('map-node');
  await expect(nodes).toHaveCount(5);
  await expect(page.locator('[aria-current="step"]')).toHaveCount(1);
  await shot(page, testInfo, '5-map');
  await nodes.last().click();
  await expect(page.locator('[data-testid="map-node"]').last()).toHaveAttribute('aria-current', 'step');
  await page.getByRole('tab', { name: 'Memory' }).click();
  await expect(memory).not.toHaveValue(marker);

  // The retry is now a branch off the path: delete it (a second click confirms).
  await page.getByRole('button', { name: 'Delete the branch from § 3' }).click();
  await page.getByRole('button', { name: 'Delete it' }).click();
  await expect(page.getByTestId('map-node')).toHaveCount(4);
  await expect(page.getByText('0 branches')).toBeVisible();
  await page.getByTestId('view-play').click();
  await expect(passages(page)).toHaveCount(4);
  await expect(page.getByTestId('sibling-nav')).toHaveCount(0);

  // Auto-write three passages.
  await page.getByRole('tab', { name: 'Auto-write' }).click();
  await page.getByLabel('Write', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('auto-status')).toHaveText('Done.', { timeout: 120_000 });
  await expect(passages(page)).toHaveCount(7);
  await expect(page.getByTestId('auto-progress')).toContainText('3 passages');
  await shot(page, testInfo, '6-auto-write');
});

test('keyboard: choose, retry, versions, undo, views, help', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await start(page);
  await newStory(page);
  await page.getByTestId('reading-column').focus();

  await page.keyboard.press('1');
  await settled(page);
  await expect(passages(page)).toHaveCount(2);

  await page.keyboard.press('Alt+R');
  await settled(page);
  await expect(page.getByTestId('sibling-position')).toHaveText('2/2');
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.getByTestId('sibling-position')).toHaveText('1/2');
  await page.keyboard.press('Alt+ArrowRight');
  await expect(page.getByTestId('sibling-position')).toHaveText('2/2');

  await page.keyboard.press('Alt+Z');
  await expect(passages(page)).toHaveCount(1);
  await page.keyboard.press('Alt+Y');
  await expect(passages(page)).toHaveCount(2);

  await page.keyboard.press('Alt+W');
  await expect(page).toHaveURL(/\/write$/);
  await expect(page.getByTestId('manuscript-passage')).toHaveCount(2);
  await page.keyboard.press('Control+Enter');
  await settled(page);
  await expect(page.getByTestId('manuscript-passage')).toHaveCount(3);
  await page.keyboard.press('Alt+M');
  await expect(page).toHaveURL(/\/map$/);
  await page.keyboard.press('Alt+P');
  await expect(page).toHaveURL(/\/play$/);

  // Typing an action and pressing Ctrl+Enter plays it; digits typed in the box stay text.
  await page.getByLabel('Or say what you do').fill('I dive in 2 times');
  await page.getByLabel('Or say what you do').press('Control+Enter');
  await settled(page);
  await expect(passages(page)).toHaveCount(4);
  await expect(page.getByTestId('reading-column').getByText('I dive in 2 times')).toBeVisible();

  // Say: the words go to the story as speech, quoted; the switch is reached and changed by keyboard.
  await page.getByRole('radio', { name: 'Do' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Say' })).toBeChecked();
  await page.getByLabel('Or say something').fill('Who goes there?');
  await page.getByLabel('Or say something').press('Control+Enter');
  await settled(page);
  await expect(passages(page)).toHaveCount(5);
  await expect(page.getByTestId('reading-column').getByText('I say, “Who goes there?”')).toBeVisible();

  // Esc stops a passage being written; the story stays as it was.
  await page.getByTestId('reading-column').focus();
  await page.keyboard.press('2');
  await page.keyboard.press('Escape');
  await settled(page);
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect([5, 6]).toContain(await passages(page).count());

  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await expect(page.getByTestId('help-overlay')).toContainText('Alt+R');
  await shot(page, testInfo, '7-help');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toBeHidden();
});

test('axe finds no serious or critical problem in any view, in either theme', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await start(page);
  await axeCheck(page, testInfo, 'library');
  await newStory(page);
  await choices(page).first().click();
  await settled(page);
  await axeCheck(page, testInfo, 'play');
  await page.getByTestId('view-write').click();
  await axeCheck(page, testInfo, 'write');
  await page.getByRole('tab', { name: 'Next prompt' }).click();
  await expect(page.getByTestId('prompt-text')).toBeVisible();
  await axeCheck(page, testInfo, 'prompt preview');
  // A continuity check: the question read against the story's memory, with a verdict and the model's own answer;
  // kept with the story, it is still there after a reload and runs again with the others.
  await page.getByRole('tab', { name: 'Continuity' }).click();
  await page.getByLabel('Question').fill('Where does the fox learn to swim?');
  await page.getByLabel('Expected answer').fill('in the river');
  await page.getByLabel('Keep this check with the story').check();
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('continuity-verdict')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("The model's own answer:")).toBeVisible();
  const kept = page.getByTestId('kept-checks').getByRole('listitem');
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText('Where does the fox learn to swim?');
  await page.reload();
  await page.getByRole('tab', { name: 'Continuity' }).click();
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText('in the river');
  await page.getByRole('button', { name: 'Check all kept' }).click();
  await expect(page.getByTestId('kept-summary')).toContainText(/^1 kept check at § \d+: 1 (carried|from the bible|faded|maybe contradicted)$/, { timeout: 60_000 });
  await expect(page.getByTestId('continuity-verdict')).toHaveCount(1);
  await shot(page, testInfo, '7b-continuity');
  await axeCheck(page, testInfo, 'continuity');
  await page.getByRole('tab', { name: 'Auto-write' }).click();
  await axeCheck(page, testInfo, 'auto-write');
  await page.getByTestId('view-map').click();
  await expect(page.getByTestId('map-node').first()).toBeVisible();
  await axeCheck(page, testInfo, 'map');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Dark (ink)').check();
  await axeCheck(page, testInfo, 'settings, dark');
  await shot(page, testInfo, '8-settings-dark');
  await page.goBack();
  await page.getByTestId('view-play').click();
  await axeCheck(page, testInfo, 'play, dark');
  await shot(page, testInfo, '9-play-dark');
  await page.getByTestId('view-write').click();
  await shot(page, testInfo, '10-write-dark');
});

test('details to remember, the heatmap, export and import', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await start(page);
  await newStory(page, 'Co-writing');
  await expect(page).toHaveURL(/\/write$/);
  await page.getByRole('button', { name: /^Continue/ }).click();
  await settled(page);
  await expect(page.getByTestId('manuscript-passage')).toHaveCount(2);

  // A detail of one's own, pinned; then pin and forget.
  const details = page.getByTestId('key-memory').getByRole('listitem');
  await page.getByLabel('A detail to remember').fill('The lamp is lit at dusk.');
  await page.getByRole('button', { name: 'Remember' }).click();
  const mine = details.filter({ hasText: 'The lamp is lit at dusk.' });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByRole('button', { name: 'Pinned' })).toHaveAttribute('aria-pressed', 'true');
  await mine.getByRole('button', { name: 'Pinned' }).click();
  await expect(mine.getByRole('button', { name: 'Pin', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await mine.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(mine.getByRole('button', { name: 'Pinned' })).toBeVisible();
  await shot(page, testInfo, '11-details-to-remember');
  await mine.getByRole('button', { name: 'Forget' }).click();
  await expect(mine).toHaveCount(0);

  // The heatmap of the second passage: a colour per token, its value on focus.
  await page.getByRole('button', { name: 'Surprisal heatmap of passage 2' }).click();
  const heat = page.getByTestId('heatmap');
  await expect(heat).toBeVisible();
  expect(await heat.getByRole('option').count()).toBeGreaterThan(3);
  await heat.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('heat-readout')).toContainText('Token 2 of');
  await expect(page.getByTestId('heat-readout')).toContainText('nats');

  // What the model read for this passage: the sections of its prompt and their sizes.
  await page.getByText('What the model read for this passage').click();
  await expect(page.getByTestId('written-from').getByTestId('prompt-sections')).toContainText('What happens next');

  // What else the model might have written at that token; choosing one writes a new version from there.
  await heat.focus();
  await page.keyboard.press('Enter');
  const offered = page.getByTestId('alternative');
  await expect(offered.first()).toBeVisible({ timeout: 30_000 });
  await shot(page, testInfo, '12-heatmap');
  await axeCheck(page, testInfo, 'heatmap, alternatives and details');
  await offered.first().click();
  await settled(page);
  await expect(page.getByTestId('alternatives')).toHaveCount(0);
  await expect(page.getByTestId('manuscript-passage').nth(1).getByTestId('sibling-position')).toHaveText('2/2');

  // A name in two passages and in no fact yet is offered for the story bible; pinning it takes it off the list.
  const lines = ['Then Wren rowed across the river.', 'The fox waved at Wren from the bank.'];
  for (const [i, line] of lines.entries()) {
    await page.getByRole('button', { name: `Edit passage ${i + 1}` }).click();
    await page.getByLabel(`Text of passage ${i + 1}`).fill(line);
    await page.getByRole('button', { name: 'Save passage' }).click();
    await expect(page.getByTestId('manuscript-passage').nth(i)).toContainText(line);
  }
  const suggested = page.getByTestId('fact-suggestions');
  await expect(suggested.getByText('Wren', { exact: true })).toBeVisible();
  await expect(suggested.getByText('in 2 passages')).toBeVisible();
  await shot(page, testInfo, '12b-suggested-facts');
  await suggested.getByRole('button', { name: `Pin as a fact: ${lines[0]}` }).click();
  await expect(page.getByTestId('facts')).toContainText(lines[0] ?? '');
  await expect(page.getByText('Wren', { exact: true })).toHaveCount(0);

  // Export as Markdown from the library, then import the JSON backup as a new story.
  const title = (await page.getByTestId('story-title').textContent())?.trim() ?? '';
  await page.getByRole('link', { name: 'Library' }).click();
  await page.getByLabel(`Export format for ${title}`).selectOption('md');
  const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export ${title}` }).click()]);
  expect(markdown.suggestedFilename()).toMatch(/\.md$/);
  expect(fs.readFileSync(await markdown.path(), 'utf8')).toContain(title);
  await page.getByLabel(`Export format for ${title}`).selectOption('json');
  const [backup] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export ${title}` }).click()]);
  await page.getByLabel('Import a backup…').setInputFiles(await backup.path());
  await expect(page).toHaveURL(/#\/story\/2\/write$/);
  await expect(page.getByTestId('manuscript-passage')).toHaveCount(2);
  await page.getByRole('link', { name: 'Library' }).click();
  const stories = page.getByTestId('story-list').getByRole('listitem');
  await expect(stories).toHaveCount(2);

  // Duplicate, then delete to the trash, undo, delete again and restore from the trash.
  await page.getByRole('button', { name: `Duplicate ${title}` }).first().click();
  await expect(page).toHaveURL(/#\/story\/3\/write$/);
  await page.getByRole('link', { name: 'Library' }).click();
  await expect(stories).toHaveCount(3);
  await page.getByRole('button', { name: `Delete ${title}` }).first().click();
  await expect(stories).toHaveCount(2);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(stories).toHaveCount(3);
  await page.getByRole('button', { name: `Delete ${title}` }).first().click();
  await expect(stories).toHaveCount(2);
  await page.getByTestId('trash').getByText('Trash (1)').click();
  await shot(page, testInfo, '14-library-trash');
  await page.getByTestId('trash').getByRole('button', { name: `Restore ${title}` }).click();
  await expect(stories).toHaveCount(3);
  await expect(page.getByTestId('trash')).toHaveCount(0);
});

test('the models page reports the hardware and the catalog with a fit for this machine', async ({ page }, testInfo) => {
  await start(page);
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
  await expect(page.getByTestId('hardware')).toContainText('Runs on', { timeout: 60_000 });
  await expect(page.getByTestId('catalog').getByRole('listitem').first()).toBeVisible();
  await expect(page.getByTestId('current-model')).toContainText(path.basename(testModel.path));
  await shot(page, testInfo, '13-models');
  await axeCheck(page, testInfo, 'models');
});
