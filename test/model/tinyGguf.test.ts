// The generated tiny GGUF must load in node-llama-cpp and behave deterministically, because
// model tests fall back to it on a fresh clone (see test/fixtures/testModel.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getLlama, LlamaCompletion, LlamaLogLevel, readGgufFileInfo,
  type Llama, type LlamaContext, type LlamaModel,
} from 'node-llama-cpp';
import { ensureTinyGguf, writeTinyGguf } from '../fixtures/gguf/writeTinyGguf.js';

describe('generated tiny GGUF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'longtale-tiny-gguf-'));
  const modelPath = ensureTinyGguf(dir);
  let llama: Llama | undefined;
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath });
    // threads: 1 matters: on a 2-core machine the default thread count is about 1000x slower.
    context = await model.createContext({ contextSize: 256, threads: 1 });
  }, 60_000);

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a GGUF v3 llama model', async () => {
    const info = await readGgufFileInfo(modelPath, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    expect(info.metadata.general.name).toBe('longtale-tiny');
  });

  it('is cached: a second ensureTinyGguf returns the same file with the default bytes', () => {
    expect(ensureTinyGguf(dir)).toBe(modelPath);
    const fresh = join(dir, 'fresh.gguf');
    writeTinyGguf(fresh);
    expect(readFileSync(fresh).equals(readFileSync(modelPath))).toBe(true);
  });

  it('round-trips text through the tokenizer, including bytes outside the vocabulary', () => {
    const text = 'Zoë 🐉 once upon a time';
    const tokens = model!.tokenize(text);
    expect(tokens.length).toBeGreaterThan(0);
    expect(model!.detokenize(tokens)).toBe(text);
  });

  it('generates the same text twice with greedy sampling', async () => {
    const sequence = context!.getSequence();
    try {
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const run = async (): Promise<string> => {
        await sequence.clearHistory();
        return completion.generateCompletion('once upon a time', { temperature: 0, maxTokens: 16 });
      };
      const first = await run();
      const second = await run();
      expect(first.length).toBeGreaterThan(0);
      expect(second).toBe(first);
    } finally {
      sequence.dispose();
    }
  });

  it('writes identical bytes for the same seed and different bytes for another seed', () => {
    const [a, b, c] = ['a.gguf', 'b.gguf', 'c.gguf'].map((name) => join(dir, name));
    writeTinyGguf(a!, { seed: 7 });
    writeTinyGguf(b!, { seed: 7 });
    writeTinyGguf(c!, { seed: 8 });
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it('stores the chat template option in the metadata', async () => {
    const file = join(dir, 'chat.gguf');
    const chatTemplate = '{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}';
    writeTinyGguf(file, { chatTemplate });
    const info = await readGgufFileInfo(file, { logWarnings: false });
    expect(info.metadata.tokenizer.chat_template).toBe(chatTemplate);
  });
});
