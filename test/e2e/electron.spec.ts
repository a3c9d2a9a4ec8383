import { _electron as electron, type ElectronApplication, expect, type Page, test } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTestModel } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Electron binary, if this machine has one. Never `require('electron')`: in Electron 45 that downloads the
 * binary, which our build machines cannot do.
 */
function electronBinary(): string | null {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathTxt = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathTxt) ? fs.readFileSync(pathTxt, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? path.join(override, relative ?? 'electron') : relative ? path.join(dir, 'dist', relative) : null;
  return exe && fs.existsSync(exe) ? exe : null;
}

const exe = electronBinary();
const SKIP_REASON = 'no Electron binary on this machine (it cannot be downloaded here); desktop specs run where one exists';
if (!exe) console.info(`electron.spec.ts skipped: ${SKIP_REASON}`);

test('the desktop app opens its window and reaches the engine', async () => {
  test.skip(!exe, SKIP_REASON);
  const home = fs.mkdtempSync(path.join(root, '.cache-electron-'));
  const app = await electron.launch({
    executablePath: exe ?? '',
    args: [path.join(root, 'out/main/main.js'), `--user-data-dir=${home}`],
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByText(/Choose a model|New story/)).toBeVisible({ timeout: 30_000 });
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});

/** The app on a fresh user-data folder with the test model configured; closed and cleaned up after `work`. */
async function withApp(work: (app: ElectronApplication, window: Page) => Promise<void>): Promise<void> {
  const home = fs.mkdtempSync(path.join(root, '.cache-electron-'));
  const app = await electron.launch({
    executablePath: exe ?? '',
    args: [path.join(root, 'out/main/main.js'), `--user-data-dir=${home}`],
    env: { ...process.env, LONGTALE_MODEL: resolveTestModel().path },
  });
  try {
    await work(app, await app.firstWindow());
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const passages = (window: Page) => window.getByTestId('passage');
const choices = (window: Page) => window.getByTestId('choices').getByRole('button');

/** Waits until nothing is being written: the streaming passage is gone. */
async function settled(window: Page): Promise<void> {
  await expect(window.getByTestId('streaming')).toHaveCount(0, { timeout: 60_000 });
}

/** A story begun from a premise in play mode, then one choice taken: two passages. */
async function storyWithAStep(window: Page): Promise<void> {
  await window.getByLabel('Premise').fill('A little fox learns to swim in the river');
  await window.getByLabel('Playing').check();
  await window.getByRole('button', { name: 'Begin' }).click();
  await expect(window.getByTestId('story-title')).not.toBeEmpty({ timeout: 60_000 });
  await settled(window);
  await expect(passages(window)).toHaveCount(1);
  await expect(choices(window)).toHaveCount(3);
  await choices(window).first().click();
  await settled(window);
  await expect(passages(window)).toHaveCount(2);
}

/** The engine's utility process, found by the service name main gives it. */
async function enginePid(app: ElectronApplication): Promise<number> {
  const pid = await app.evaluate(({ app: electronApp }) =>
    electronApp.getAppMetrics().find((m) => m.type === 'Utility' && /Longtale engine/.test(`${m.serviceName ?? ''} ${m.name ?? ''}`))?.pid,
  );
  if (!pid) throw new Error('no engine utility process among the app metrics');
  return pid;
}

test('the desktop app writes a story step through its engine process', async () => {
  test.skip(!exe, SKIP_REASON);
  test.setTimeout(180_000);
  await withApp(async (_app, window) => {
    await storyWithAStep(window);
    await expect(window.getByText('You chose:')).toHaveCount(1);
  });
});

test('when the engine process dies it restarts, the UI says so, and the story is intact and goes on', async () => {
  test.skip(!exe, SKIP_REASON);
  test.setTimeout(180_000);
  await withApp(async (app, window) => {
    await storyWithAStep(window);
    const before = await passages(window).allInnerTexts();
    const pid = await enginePid(app);

    process.kill(pid, 'SIGKILL');

    await expect(window.getByTestId('reconnected-notice')).toContainText('Your stories are intact', { timeout: 60_000 });
    await expect.poll(() => enginePid(app), { timeout: 30_000 }).not.toBe(pid);
    await expect(passages(window)).toHaveText(before);
    // The new engine writes on from where the story was (with the KV state the old one saved, if it got to it).
    await choices(window).first().click();
    await settled(window);
    await expect(passages(window)).toHaveCount(before.length + 1);
    await window.getByTestId('reconnected-notice').getByRole('button', { name: 'Dismiss' }).click();
    await expect(window.getByTestId('reconnected-notice')).toHaveCount(0);
  });
});
