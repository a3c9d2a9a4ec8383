import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaRuntime, type LlamaTextModel } from '../../native/llama/index.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
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
    const result = await model.generate('Once upon a time', {
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
    const a = await model.generate('The dog ran', { maxTokens: 16, temperature: 0 });
    const b = await model.generate('The dog ran', { maxTokens: 16, temperature: 0 });
    expect(b.text).toBe(a.text);
  });

  it('reuses the KV cache for a shared prompt prefix', async () => {
    const prompt = 'Once upon a time there was a little girl who lived in a small house near the woods.';
    await model.generate(prompt, { maxTokens: 4, temperature: 0 });
    const again = await model.generate(`${prompt} One day`, { maxTokens: 4, temperature: 0 });
    expect(again.evaluatedTokens).toBeLessThan(model.countTokens(prompt) / 2);
  });

  it('stops with CANCELLED when aborted mid-stream', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = model.generate('Once upon a time', {
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
    const after = await model.generate('Once upon a time', { maxTokens: 4, temperature: 0 });
    expect(after.generatedTokens).toBeGreaterThan(0);
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
    ['a missing file', () => path.join(dir, 'absent.gguf'), 'MODEL_NOT_FOUND'],
    ['a zero-byte file', () => file('empty.gguf', Buffer.alloc(0)), 'MODEL_NOT_GGUF'],
    ['a PNG renamed to .gguf', () => file('pic.gguf', Buffer.from('89504e470d0a1a0a0000000d49484452'.repeat(4), 'hex')), 'MODEL_NOT_GGUF'],
    [
      'GGUF version 1',
      () => file('v1.gguf', Buffer.concat([Buffer.from('GGUF'), Buffer.from([1, 0, 0, 0]), Buffer.alloc(24)])),
      'MODEL_UNSUPPORTED',
    ],
    [
      'a truncated GGUF',
      () => file('truncated.gguf', fs.readFileSync(testModel.path).subarray(0, 4096)),
      'MODEL_LOAD_FAILED',
    ],
  ])('refuses %s with %s', async (_name, makePath, code) => {
    await expect(runtime.loadModel(makePath())).rejects.toMatchObject({ code });
  });
});
