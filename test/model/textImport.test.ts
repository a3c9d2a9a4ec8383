import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../electron/contract/index.js';
import { openModelEngine, testCall as call } from '../fixtures/modelEngine.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const testModel = resolveTestModel();
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-text-'));
const dbPath = path.join(dir, 'stories.db');
const engine = openModelEngine(dbPath, testModel.path, { seed: 3, passageTokens: 40 });

afterAll(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const TEXT = [
  '# The Red Ball',
  'Tim had a red ball. He liked to play with it in the park every day after school.',
  'One day the ball rolled into the pond. Tim was sad, and he sat down on the grass.',
  'Chapter 2',
  'A big duck swam to the ball and pushed it back to Tim with its beak.',
].join('\n\n');

describe(`a story from the author's own text, on a real model (${path.basename(testModel.path)})`, () => {
  it('reads every passage of the text (memory, plans, heatmap), and the story goes on from its end', async () => {
    const events: CallEvent[] = [];
    const view = await engine.stories.texts.create({ text: TEXT }, call(events));
    expect(view.story.title).toBe('The Red Ball');
    const path = engine.stories.open(view.story.id).path;
    expect(path.length).toBeGreaterThanOrEqual(2);
    expect(path.at(-1)?.passage).toContain('A big duck swam to the ball');
    for (const node of path) {
      expect(node.stale).toBe(false);
      expect(node.plans).toHaveLength(3);
      // The heatmap: every token of the author's text scored by the model, joining into the passage.
      const scored = engine.stories.memory.tokens(view.story.id, node.id);
      expect(scored.tokens.map((t) => t.text).join('')).toBe(node.passage);
      expect(scored.tokens.every((t) => Number.isFinite(t.surprisal) && t.surprisal >= 0)).toBe(true);
    }
    expect(events.filter((e) => e.kind === 'progress')).toHaveLength(path.length);

    const next = await engine.stories.step(view.story.id, undefined, { choice: 1 }, call());
    expect(next.path.at(-2)?.id).toBe(path.at(-1)?.id);
    expect(next.path.at(-1)?.passage.trim().length).toBeGreaterThan(0);
  });

  it('longtale new --from-text reads a file into a story, with progress on stderr', () => {
    const file = path.join(dir, 'draft.md');
    fs.writeFileSync(file, TEXT);
    const run = spawnSync(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      [path.join(root, 'electron/cli/run.ts'), '--db', path.join(dir, 'cli.db'), '--model', testModel.path, '--threads', '1', '--context-size', '512', '--json', 'new', '--from-text', file, '--title', 'Ball'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' }, timeout: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: 'Ball', passage: expect.stringContaining('A big duck') });
    const missing = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'electron/cli/run.ts'), '--db', path.join(dir, 'cli.db'), 'new', '--from-text', path.join(dir, 'absent.txt')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' },
      timeout: 60_000,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
  });
});
