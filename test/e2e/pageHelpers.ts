import { expect, type Page, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { resolveTestModel } from '../fixtures/testModel.js';
import { type RunningServer, startServer } from './webServerProcess.js';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * One web-mode session per test against the real engine and model: a private folder and server, CSP violations
 * collected from the console (none allowed), the server log attached when a test fails.
 */
export class WebSession {
  readonly cspViolations: string[] = [];
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-e2e-'));
  server: RunningServer | undefined;

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) this.cspViolations.push(message.text());
    });
  }

  async start(env?: Record<string, string>): Promise<void> {
    const model = resolveTestModel().path;
    this.server = await startServer({ db: path.join(this.dir, 'stories.db'), home: path.join(this.dir, 'home'), model, env });
    await this.page.setViewportSize({ width: 1400, height: 900 });
    await this.page.goto(this.server.url);
  }

  async close(testInfo: TestInfo): Promise<void> {
    if (this.server && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server log', { body: this.server.output() });
    await this.server?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
    expect(this.cspViolations, 'no CSP violations').toEqual([]);
  }
}

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Waits until nothing is being written: the streaming passage is gone. */
export async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('streaming')).toHaveCount(0, { timeout: 60_000 });
}

export async function newStory(page: Page): Promise<void> {
  await page.getByLabel('Premise').fill('A little fox learns to swim in the river');
  await page.getByLabel('Playing').check();
  await page.getByRole('button', { name: 'Begin' }).click();
  await expect(page.getByTestId('story-title')).not.toBeEmpty({ timeout: 60_000 });
  await settled(page);
}

export const passages = (page: Page) => page.getByTestId('passage');
export const choices = (page: Page) => page.getByTestId('choices').getByRole('button');

/** Runs axe-core on the page as it is; a serious or critical violation fails the test (all are attached). */
export async function axeCheck(page: Page, testInfo: TestInfo, where: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // The page's global; this function runs in the browser, where axe-core was just evaluated.
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  await testInfo.attach(`axe ${where}`, { body: JSON.stringify(violations, null, 2), contentType: 'application/json' });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `serious or critical accessibility violations in ${where}`).toEqual([]);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}
