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
});
