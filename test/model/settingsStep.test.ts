import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../electron/contract/index.js';
import { Connection } from '../../electron/engine/Connection.js';
import { Engine, type ModelLoader } from '../../electron/engine/Engine.js';
import { llamaModelLoader } from '../../electron/engine/llamaModelLoader.js';
import type { TextGenerateOptions, TextGeneration } from '../../electron/story/TextModel.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-settings-model-'));
const llama = llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 512 });
/** Every free-text generation of the real model: what it was asked for and what it did. */
const passages: { options: TextGenerateOptions; generation: TextGeneration }[] = [];
/** The real loader, with the model's free-text calls recorded (nothing else changes). */
const loader: ModelLoader = {
  validate: (p) => llama.validate(p),
  dispose: () => llama.dispose(),
  async load(p, signal) {
    const model = await llama.load(p, signal);
    const generate = model.generate.bind(model);
    model.generate = async (conversation, options) => {
      const generation = await generate(conversation, options);
      passages.push({ options, generation });
      return generation;
    };
    return model;
  },
};
const engine = Engine.open({ dbPath: path.join(dir, 'stories.db'), modelPath: testModel.path, loader, version: 'test', generation: { seed: 5, passageTokens: 80 } });

afterAll(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });

describe(`settings on a real model (${path.basename(testModel.path)})`, () => {
  it('a passage length changed through the API bounds the very next step', async () => {
    const view = await engine.stories.create({ premise: 'A little cat wants to find the moon.' }, call());
    expect(passages.at(-1)?.options.maxTokens).toBe(80);

    // Through the API as the UI sends it, so the contract's validation is part of the test.
    const sent: unknown[] = [];
    const connection = new Connection(engine, (m) => sent.push(m));
    connection.receive({ type: 'call', id: 1, method: 'settings.update', params: { passageTokens: 24, temperature: 0.5 } });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({ type: 'result', result: { settings: { passageTokens: 24, temperature: 0.5 } } });

    const before = passages.length;
    const stepped = await engine.stories.step(view.story.id, undefined, { choice: 1 }, call());
    const written = passages.slice(before).at(0);
    expect(written?.options).toMatchObject({ maxTokens: 24, temperature: 0.5 });
    expect(written?.generation.generatedTokens).toBeLessThanOrEqual(24);
    expect(stepped.path.at(-1)?.passage.length).toBeGreaterThan(0);
    connection.close();
  });

  it('a story’s own passage length bounds that story’s steps; another story follows the app’s', async () => {
    const own = await engine.stories.create({ premise: 'A dog digs for a bone.' }, call());
    const other = await engine.stories.create({ premise: 'A girl plants a seed.' }, call());
    const sent: unknown[] = [];
    const connection = new Connection(engine, (m) => sent.push(m));
    connection.receive({ type: 'call', id: 1, method: 'stories.setSettings', params: { storyId: own.story.id, own: { passageTokens: 16 } } });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({ type: 'result', result: { settings: { passageTokens: 16, temperature: 0.5 } } });

    const lengths = async (storyId: number) => {
      const before = passages.length;
      const stepped = await engine.stories.step(storyId, undefined, { choice: 1 }, call());
      const written = passages.slice(before).at(0);
      return { asked: written?.options.maxTokens, generated: written?.generation.generatedTokens ?? Infinity, recorded: stepped.path.at(-1)?.stats.settings?.passageTokens };
    };
    const short = await lengths(own.story.id);
    expect(short).toMatchObject({ asked: 16, recorded: 16 });
    expect(short.generated).toBeLessThanOrEqual(16);
    expect(await lengths(other.story.id)).toMatchObject({ asked: 24, recorded: 24 });
    connection.close();
  });

  it('phrases a story avoids stay out of its passages: writing it again, the model went back where one began', async () => {
    const view = await engine.stories.create({ premise: 'A boy finds a red ball.' }, call());
    const node = (await engine.stories.step(view.story.id, undefined, { choice: 1 }, call())).path.at(-1);
    if (!node) throw new Error('no passage');
    const counts = new Map<string, number>();
    for (const word of node.passage.toLowerCase().match(/\p{L}{2,}/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    const [word] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (!word) throw new Error(`no word in ${JSON.stringify(node.passage)}`);
    expect(startsWord(node.passage, word)).toBe(true);

    engine.settings.setStoryAvoid(view.story.id, [word]);
    const before = passages.length;
    // The same parent, instruction and seed: the same draws until the phrase begins.
    const retried = (await engine.stories.retry(view.story.id, node.id, call())).path.at(-1);
    const written = passages.slice(before).at(0);
    expect(written?.options.avoid).toEqual([word]);
    expect(written?.generation.avoidedPhrases).toBeGreaterThanOrEqual(1);
    expect(startsWord(retried?.passage ?? '', word), `"${word}" in ${JSON.stringify(retried?.passage)}`).toBe(false);
    expect(retried?.stats.avoidedPhrases).toBeGreaterThanOrEqual(1);
  });
});

/** Whether `word` begins a word of `text`, ignoring case. */
function startsWord(text: string, word: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${word}`, 'iu').test(text);
}
