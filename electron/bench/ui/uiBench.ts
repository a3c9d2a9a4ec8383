import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { openStore } from '../../store/openStore.js';
import { type MachineInfo, machineInfo } from '../machineInfo.js';
import { median, percentiles } from '../percentiles.js';
import type { Figure } from '../runBench.js';
import { SyntheticText } from '../syntheticNode.js';
import { writeSyntheticStory } from '../syntheticStory.js';
import { chromiumLaunchOptions } from './chromiumLaunchOptions.js';
import { openStoryScript, PROBE, TAKE_SAMPLES } from './pageScripts.js';
import { startServe } from './serveProcess.js';

export interface UiBenchOptions {
  /** Passages of the synthetic story. */
  nodes: number;
  /** Opens of the story; the first (cold) is reported apart from the median of the rest. */
  repeats: number;
  /** Passages written to sample token-to-paint; 0 (or no model) skips it. */
  steps: number;
  model: string | null;
  passageTokens: number;
  contextSize: number;
}

export interface UiBenchReport {
  machine: MachineInfo;
  /** The 1-minute load average when the run started: other work on the machine stretches every figure. */
  loadAverage: number;
  model: string | null;
  nodes: number;
  repeats: number;
  figures: Record<'U1' | 'U2', Figure>;
}

const TITLE = 'The Long Harbour';
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Issue 8's UI figures, in Debian's Chromium against `longtale serve` on a real database: U1, opening a story of
 * `nodes` passages until its last passage is painted and its choices respond; U2, the delay from a token leaving
 * the engine to the frame that paints it, while writing at the end of that story.
 */
export async function uiBench(options: UiBenchOptions): Promise<UiBenchReport> {
  const loadAverage = round(os.loadavg()[0] ?? 0, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-uibench-'));
  const db = path.join(dir, 'stories.db');
  const store = openStore(db);
  try {
    store.db.transaction(() => writeSyntheticStory(store, { nodes: options.nodes, text: new SyntheticText(1), title: TITLE }));
  } finally {
    store.dispose();
  }
  const server = await startServe({
    db,
    home: path.join(dir, 'home'),
    model: options.model ?? undefined,
    args: ['--threads', '1', '--context-size', String(options.contextSize), '--passage-tokens', String(options.passageTokens), '--seed', '3'],
  });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript({ content: PROBE });
    await page.goto(server.url);
    const library = page.getByRole('link', { name: TITLE });
    await library.waitFor();
    const last = `Passage ${options.nodes - 1}.`;
    const opens: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      opens.push(await page.evaluate<number>(openStoryScript(TITLE, last)));
      await page.getByRole('link', { name: 'Library' }).click();
      await library.waitFor();
    }
    const [cold = 0, ...warm] = opens;
    const openMs = warm.length > 0 ? median(warm) : cold;
    const streaming = options.model && options.steps > 0 ? await tokenToPaint(page, last, options.nodes, options.steps) : null;
    return {
      machine: machineInfo(),
      loadAverage,
      model: options.model ? path.basename(options.model) : null,
      nodes: options.nodes,
      repeats: options.repeats,
      figures: {
        U1: {
          value: round(openMs, 0),
          goal: '≤ 1000 ms',
          pass: openMs <= 1000,
          detail: `${options.nodes} passages: median of ${warm.length || 1} opens ${round(openMs, 0)} ms, first (cold) ${round(cold, 0)} ms`,
        },
        U2: streaming
          ? {
              value: round(streaming.p99),
              goal: 'p99 ≤ 50 ms',
              pass: streaming.p99 <= 50,
              detail: `${streaming.tokens} tokens over ${options.steps} steps: p50 ${round(streaming.p50)} / p99 ${round(streaming.p99)} ms (in the page: p50 ${round(streaming.inPage.p50)} / p99 ${round(streaming.inPage.p99)} ms); longest main-thread task ${round(streaming.longestTaskMs, 0)} ms`,
            }
          : { value: null, goal: 'p99 ≤ 50 ms', pass: null, detail: options.model ? 'not measured: --steps 0' : 'not measured: no model (set LONGTALE_MODEL or --model)' },
      },
    };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nserver log:\n${server.output()}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `steps` passages at the end of the open story, sampling every token's delay to its paint. */
async function tokenToPaint(page: Page, last: string, nodes: number, steps: number) {
  await page.evaluate<number>(openStoryScript(TITLE, last));
  await page.evaluate(TAKE_SAMPLES);
  const choice = page.getByTestId('choices').getByRole('button').first();
  for (let i = 1; i <= steps; i++) {
    await choice.click();
    // Done when the story is one passage longer, or the step failed.
    const passages = `${(nodes + i).toLocaleString('en')} passages`;
    const failure = page.getByRole('alert');
    await failure.or(page.getByTestId('story-stats').filter({ hasText: passages })).first().waitFor({ timeout: 300_000 });
    if (await failure.count()) throw new Error(`writing failed: ${await failure.first().innerText()}`);
  }
  const { delays, longTasks } = await page.evaluate<{ delays: { total: number; inPage: number }[]; longTasks: { ms: number }[] }>(TAKE_SAMPLES);
  if (delays.length === 0) throw new Error('no token reached the page with a timestamp');
  return {
    ...percentiles(delays.map((d) => d.total)),
    inPage: percentiles(delays.map((d) => d.inPage)),
    tokens: delays.length,
    longestTaskMs: Math.max(0, ...longTasks.map((t) => t.ms)),
  };
}
