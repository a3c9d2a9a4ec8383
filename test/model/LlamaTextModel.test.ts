import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaRuntime, type LlamaTextModel } from '../../native/llama/index.js';
import { isTrained, resolveTestModel, UNTRAINED_REASON } from '../fixtures/testModel.js';

/** A bare document for the base model to continue. */
const doc = (text: string) => ({ system: '', turns: [{ user: '', answer: text }] });

const testModel = resolveTestModel();
const trained = isTrained(testModel);
if (!trained) console.info(`some tests skip: ${UNTRAINED_REASON}`);
console.info(testModel.reason);

let runtime: LlamaRuntime;
let model: LlamaTextModel;

beforeAll(async () => {
  runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
  model = await runtime.loadModel(testModel.path, { contextSize: 512 });
});

afterAll(async () => {
  await model?.dispose();
  await runtime?.dispose();
});

describe('LlamaTextModel on a real GGUF', () => {
  it('loads with a context no larger than asked', () => {
    expect(model.contextSize).toBeGreaterThan(0);
    expect(model.contextSize).toBeLessThanOrEqual(512);
    expect(model.name.length).toBeGreaterThan(0);
  });

  it('streams a completion whose chunks add up to the text', async () => {
    const chunks: string[] = [];
    const result = await model.generate(doc('Once upon a time'), {
      maxTokens: 24,
      temperature: 0,
      onText: (t) => chunks.push(t),
    });
    expect(result.generatedTokens).toBeGreaterThan(0);
    expect(result.generatedTokens).toBeLessThanOrEqual(24);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(result.text);
  });

  it('is deterministic at temperature 0', async () => {
    const a = await model.generate(doc('The dog ran'), { maxTokens: 16, temperature: 0 });
    const b = await model.generate(doc('The dog ran'), { maxTokens: 16, temperature: 0 });
    expect(b.text).toBe(a.text);
  });

  it('reuses the KV cache for a shared prompt prefix', async () => {
    const prompt = 'Once upon a time there was a little girl who lived in a small house near the woods.';
    await model.generate(doc(prompt), { maxTokens: 4, temperature: 0 });
    const again = await model.generate(doc(`${prompt} One day`), { maxTokens: 4, temperature: 0 });
    expect(again.evaluatedTokens).toBeLessThan(model.countTokens(prompt) / 2);
  });

  it('stops with CANCELLED when aborted mid-stream', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = model.generate(doc('Once upon a time'), {
      maxTokens: 200,
      temperature: 0,
      signal: controller.signal,
      onText: () => {
        if (++chunks === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(chunks).toBeLessThan(20);
    // The model is still usable afterwards.
    const after = await model.generate(doc('Once upon a time'), { maxTokens: 4, temperature: 0 });
    expect(after.generatedTokens).toBeGreaterThan(0);
  });

  it.skipIf(!trained)('writes JSON that parses under a bounded schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        memory: { type: 'string', minLength: 1, maxLength: 60 },
        plans: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', minLength: 1, maxLength: 30 } },
      },
      required: ['memory', 'plans'],
    };
    for (const seed of [1, 2, 3]) {
      const result = await model.generateJson(doc('Once upon a time there was a cat.\n\nMemory in JSON:\n'), schema, {
        maxTokens: 200,
        temperature: 0.8,
        seed,
      });
      expect(result.error).toBeNull();
      const value = result.value as { memory: string; plans: string[] };
      expect(value.memory.length).toBeGreaterThan(0);
      expect(value.memory.length).toBeLessThanOrEqual(60);
      expect(value.plans).toHaveLength(3);
    }
  });

  it.skipIf(!trained)('stops at a stop string and never shows it', async () => {
    const chunks: string[] = [];
    const result = await model.generate(doc('Once upon a time'), {
      maxTokens: 120,
      temperature: 0,
      stopStrings: ['.'],
      onText: (t) => chunks.push(t),
    });
    expect(result.stopReason).toBe('stop-string');
    expect(result.text).not.toContain('.');
    expect(chunks.join('')).toBe(result.text);
  });

  it('accepts the DRY penalty and still writes', async () => {
    const result = await model.generate(doc('Once upon a time'), {
      maxTokens: 40,
      temperature: 0.8,
      seed: 5,
      dry: { strength: 0.8, base: 1.75, allowedLength: 2 },
    });
    expect(result.generatedTokens).toBeGreaterThan(0);
  });

  it.skipIf(!trained)('reuses the whole passage when a follow-up call appends to the conversation', async () => {
    const first = { system: 'A story.', turns: [{ user: 'Write about a dog.', answer: '' }] };
    const passage = await model.generate(first, { maxTokens: 30, temperature: 0 });
    const followUp = {
      system: 'A story.',
      turns: [
        { user: 'Write about a dog.', answer: passage.text },
        { user: 'Now summarise it.', answer: '' },
      ],
    };
    const summary = await model.generate(followUp, { maxTokens: 8, temperature: 0 });
    expect(summary.promptTokens).toBe(model.countConversation(followUp));
    // Only the tail after the shared prefix is read again (re-tokenising the passage may shift a token or two).
    expect(summary.evaluatedTokens).toBeLessThan(summary.promptTokens / 2);
  });

  it('counts tokens with the model tokenizer', () => {
    expect(model.countTokens('')).toBe(0);
    expect(model.countTokens('Once upon a time')).toBeGreaterThan(1);
  });
});

describe('LlamaRuntime.loadModel on bad files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bad-models-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(name: string, bytes: Buffer): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  }

  it.each([
    ['a missing file', 'MODEL_NOT_FOUND', () => path.join(dir, 'absent.gguf')],
    ['a zero-byte file', 'MODEL_NOT_GGUF', () => file('empty.gguf', Buffer.alloc(0))],
    ['a PNG renamed to .gguf', 'MODEL_NOT_GGUF', () => file('pic.gguf', Buffer.from('89504e470d0a1a0a0000000d49484452'.repeat(4), 'hex'))],
    ['GGUF version 1', 'MODEL_UNSUPPORTED', () => file('v1.gguf', Buffer.concat([Buffer.from('GGUF'), Buffer.from([1, 0, 0, 0]), Buffer.alloc(24)]))],
    // Caught by validateGgufFile before llama.cpp sees it (test/unit/native/validateGgufFile.test.ts has the full corpus).
    ['a truncated GGUF', 'MODEL_CORRUPT', () => file('truncated.gguf', fs.readFileSync(testModel.path).subarray(0, 4096))],
  ])('refuses %s with %s', async (_name, code, makePath) => {
    await expect(runtime.loadModel(makePath())).rejects.toMatchObject({ code });
  });
});
