import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContinuityCheck, StoryView } from '../../electron/contract/index.js';
import type { Engine } from '../../electron/engine/Engine.js';
import { openModelEngine, testCall as call } from '../fixtures/modelEngine.js';
import { isTrained, resolveTestModel, UNTRAINED_REASON } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
const trained = isTrained(testModel);
console.info(testModel.reason);
if (!trained) console.info(`the check that the memory carries a name skips: ${UNTRAINED_REASON}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-continuity-'));
let engine: Engine;
let view: StoryView;

beforeAll(async () => {
  engine = openModelEngine(path.join(dir, 'stories.db'), testModel.path, { seed: 4, passageTokens: 80 });
  view = await engine.stories.create({ premise: 'A little girl and her dog go to the park.' }, call());
  for (let i = 0; i < 5; i++) view = await engine.stories.step(view.story.id, undefined, { choice: 1 }, call());
}, 120_000);

afterAll(async () => {
  await engine?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`continuity checks on ${path.basename(testModel.path)}`, () => {
  it('measures an answer at passages along the path, each scored in its own prompt, and the model answers in its own words', async () => {
    const check = await engine.stories.continuity.check(view.story.id, { question: 'Where did they go?', answer: 'to the park', points: 3 }, call());
    console.info(`continuity: bible alone ${check.baselineNats.toFixed(2)} nats; ${check.points.map((p) => `§ ${p.position}: ${p.nats.toFixed(2)}`).join(', ')}; reply ${JSON.stringify(check.reply)}`);
    expect(check.points.map((p) => p.position)).toEqual([2, 4, 6]);
    expect(check.points.at(-1)?.nodeId).toBe(view.currentNodeId);
    expect(check.answerTokens).toBeGreaterThan(0);
    for (const p of [check.baselineNats, ...check.points.map((q) => q.nats)]) {
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThan(0);
    }
    // Different prompts: the memory and the previous passage differ from one point to the next.
    expect(new Set(check.points.map((p) => p.nats.toFixed(6))).size).toBeGreaterThan(1);
    expect(check.reply).not.toContain('\n');
  });

  it('longtale continuity prints the answer at each passage checked, and --json the whole check', () => {
    const run = (json: boolean) => longtale([...(json ? ['--json'] : []), 'continuity', String(view.story.id), '--question', 'Where did they go?', '--answer', 'to the park', '--points', '2']);
    const text = run(false);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^from the bible alone: \d+\.\d\d nats over \d+ tokens$/mu);
    expect(text.stdout).toMatch(/^§ 6 \(passage \d+\): \d+\.\d\d nats, [\d.,]+× (as likely|less likely)$/mu);
    const doc = JSON.parse(run(true).stdout) as ContinuityCheck;
    expect(doc.points.map((p) => p.position)).toEqual([3, 6]);
  });

  it('longtale continuity --save keeps a check, --saved puts the kept ones to the story again, --forget drops one', async () => {
    const storyId = String(view.story.id);
    const asked = longtale(['continuity', storyId, '--question', 'Who came along?', '--answer', 'the dog', '--save']);
    expect(asked.stderr).toBe('');
    expect(asked.stdout).toMatch(/^from the bible alone: /mu);
    const listed = JSON.parse(longtale(['--json', 'continuity', storyId, '--list']).stdout) as { id: number; question: string }[];
    expect(listed.map((c) => c.question)).toEqual(['Who came along?']);

    const again = JSON.parse(longtale(['--json', 'continuity', storyId, '--saved']).stdout) as { id: number; check: ContinuityCheck }[];
    const direct = await engine.stories.continuity.check(view.story.id, { question: 'Who came along?', answer: 'the dog' }, call());
    expect(again).toHaveLength(1);
    expect(again[0]?.id).toBe(listed[0]?.id);
    // The same prompt and model: the same measure as a check asked directly.
    expect(again[0]?.check.points.at(-1)?.nats).toBeCloseTo(direct.points.at(-1)?.nats ?? -1, 3);

    expect(JSON.parse(longtale(['--json', 'continuity', storyId, '--forget', String(listed[0]?.id)]).stdout)).toEqual([]);
    const wrong = longtale(['continuity', storyId, '--question', 'Who?']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--question and --answer go together');
  });

  it.skipIf(!trained)('a name the last passage uses is far likelier with the story than from the bible alone', async () => {
    const last = view.path.at(-1)?.passage ?? '';
    // A capitalised word inside a sentence of the passage: a name the premise does not give.
    const name = /(?<=[a-z,] )[A-Z][a-z]+/u.exec(last)?.[0];
    expect(name, `a name in: ${last}`).toBeDefined();
    const check = await engine.stories.continuity.check(view.story.id, { question: 'Who is in the story?', answer: name ?? '' }, call());
    console.info(`"${name}": bible alone ${check.baselineNats.toFixed(2)} nats, with the story ${check.points[0]?.nats.toFixed(2)}`);
    expect(check.points[0]?.nats).toBeLessThan(check.baselineNats - 1);
  });
});

/** `longtale` from source on the test database and model. */
function longtale(args: string[]) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return spawnSync(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(root, 'electron/cli/run.ts'), ...['--db', path.join(dir, 'stories.db'), '--model', testModel.path, '--threads', '1', '--context-size', '512'], ...args],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' }, timeout: 120_000 },
  );
}
