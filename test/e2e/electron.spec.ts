import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
