import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactSuggestion, StoryView } from '../../electron/contract/index.js';
import { openModelEngine, testCall as call } from '../fixtures/modelEngine.js';
import { isTrained, resolveTestModel, UNTRAINED_REASON } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const testModel = resolveTestModel();
const trained = isTrained(testModel);
console.info(testModel.reason);
if (!trained) console.info(`the check that names are found skips: ${UNTRAINED_REASON}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-facts-'));
const dbPath = path.join(dir, 'stories.db');
let view: StoryView;

/** `longtale` from source on the test's database; the facts commands need no model. */
function longtale(args: string[]) {
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'electron/cli/run.ts'), '--db', dbPath, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const engine = openModelEngine(dbPath, testModel.path, { seed: 4, passageTokens: 80 });
  try {
    view = await engine.stories.create({ premise: 'A little girl and her dog go to the park.' }, call());
    for (let i = 0; i < 7; i++) view = await engine.stories.step(view.story.id, undefined, { choice: 1 }, call());
  } finally {
    await engine.dispose();
  }
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const passagesNaming = (name: string) => view.path.filter((n) => new RegExp(`(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}])`, 'u').test(n.passage));

describe(`facts and suggested facts on a story written by ${path.basename(testModel.path)}`, () => {
  it('each names something in as many passages as it says, from the sentence of the passage that brought it in', () => {
    const run = longtale(['--json', 'facts', 'suggest', String(view.story.id)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { suggestions } = JSON.parse(run.stdout) as { suggestions: FactSuggestion[] };
    console.info(`suggested: ${suggestions.map((s) => `${s.name} (${s.passages}, ${s.surprisal?.toFixed(1)} nats)`).join('; ') || 'none'}`);
    for (const s of suggestions) {
      expect(passagesNaming(s.name)).toHaveLength(s.passages);
      expect(s.passages).toBeGreaterThanOrEqual(2);
      const first = passagesNaming(s.name)[0];
      expect(s.nodeId).toBe(first?.id);
      expect(first?.passage).toContain(s.text.replace(/…$/u, ''));
      // Unedited passages keep their heatmap, so the first mention is scored.
      expect(s.surprisal).toBeGreaterThan(0);
    }
  });

  it.skipIf(!trained)('finds the names a trained model keeps using, and one pinned is no longer suggested', () => {
    const suggest = () => (JSON.parse(longtale(['--json', 'facts', 'suggest', String(view.story.id)]).stdout) as { suggestions: FactSuggestion[] }).suggestions;
    const [first] = suggest();
    expect(first).toBeDefined();
    const pinned = longtale(['facts', 'add', String(view.story.id), '--text', first?.text ?? '']);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain(first?.text);
    expect(suggest().map((s) => s.name)).not.toContain(first?.name);
  });

  it('a fact pinned from a passage on (longtale facts add --from) is in the prompts after it on its branch, not before it', async () => {
    const from = view.path[3]!;
    const added = longtale(['--json', 'facts', 'add', String(view.story.id), '--text', 'The dog can fly.', '--from', String(from.id)]);
    expect(added.stderr).toBe('');
    const { facts } = JSON.parse(added.stdout) as { facts: { text: string; from: { nodeId: number; position: number } | null; applies: boolean }[] };
    expect(facts.at(-1)).toMatchObject({ text: 'The dog can fly.', from: { nodeId: from.id, position: 4 }, applies: true });
    expect(longtale(['facts', 'list', String(view.story.id)]).stdout).toContain(`from § 4 (passage ${from.id})\tThe dog can fly.`);

    const engine = openModelEngine(dbPath, testModel.path, { seed: 4, passageTokens: 80 });
    try {
      const prompt = async (nodeId: number) => (await engine.stories.preview(view.story.id, nodeId, undefined, call())).text;
      expect(await prompt(from.id)).toContain('- The dog can fly.');
      expect(await prompt(view.currentNodeId)).toContain('- The dog can fly.');
      expect(await prompt(view.path[2]!.id)).not.toContain('The dog can fly.');
    } finally {
      await engine.dispose();
    }
  });

  it('refuses a story that does not exist with a clear message', () => {
    const run = longtale(['facts', 'suggest', '999']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/story does not exist/iu);
  });
});
