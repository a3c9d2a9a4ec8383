import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaRuntime } from '../../native/llama/index.js';
import { reuseHeldTokens } from '../../native/llama/reuseHeldTokens.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
console.info(testModel.reason);
const RANDOM_32K = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'models', 'llama-2-tiny-random.gguf');
const has32k = fs.existsSync(RANDOM_32K);
if (!has32k) console.info(`skipping the follow-up call on a 32k vocabulary: ${RANDOM_32K} is absent`);

let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: testModel.path });
});

afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
});

const STORY = 'Once upon a time there was a little cat.';

/** Tokens of `text` as one tokenisation with BOS, as the model reads a prompt. */
function canonical(text: string): Token[] {
  const bos = model.tokens.bos;
  const tokens = model.tokenize(text);
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos, ...tokens] : tokens;
}

/** The same text, split where the model's own writing might split it: tokenised in two halves. */
function writtenInPieces(text: string, at: number): Token[] {
  return [...canonical(text.slice(0, at)), ...model.tokenize(text.slice(at), false, 'trimLeadingSpace')];
}

/** The first place before "cat" where splitting STORY gives other tokens for the same text (inside a word's token). */
function splitPoint(): number {
  for (let at = 1; at < STORY.indexOf('cat'); at++) {
    const pieces = writtenInPieces(STORY, at);
    if (decode(pieces) === decode(canonical(STORY)) && pieces.some((t, i) => t !== canonical(STORY)[i])) return at;
  }
  throw new Error('no split of the story tokenises differently: the vocabulary has no token longer than a character');
}

const decode = (tokens: readonly Token[]) => model.detokenize(tokens);

describe(`reusing what a sequence holds as the same text (${path.basename(testModel.path)})`, () => {
  it('keeps every held token when the prompt spells their text with other tokens', () => {
    const held = writtenInPieces(STORY, splitPoint());
    const prompt = canonical(`${STORY} The end.`);
    // The premise of the test: the same text, tokenised differently from some point on.
    expect(decode(held)).toBe(decode(canonical(STORY)));
    expect(held).not.toEqual(prompt.slice(0, held.length));

    const reused = reuseHeldTokens(model, held, prompt);
    expect(reused.slice(0, held.length)).toEqual(held);
    expect(decode(reused)).toBe(decode(prompt));
  });

  it('stops where the held text leaves the prompt, on a boundary both share', () => {
    const held = writtenInPieces('Once upon a time there was a little dog.', splitPoint());
    const prompt = canonical(STORY);
    const reused = reuseHeldTokens(model, held, prompt);
    expect(decode(reused)).toBe(decode(prompt));
    let shared = 0;
    while (shared < held.length && reused[shared] === held[shared]) shared++;
    // Beyond the plain comparison (it stops where the word is split), and short of the word that differs.
    let plain = 0;
    while (plain < held.length && prompt[plain] === held[plain]) plain++;
    expect(shared).toBeGreaterThan(plain);
    expect(decode(held.slice(0, shared))).not.toContain('dog');
  });

  it('returns the prompt as it is when the sequence holds nothing more of its text', () => {
    const prompt = canonical(STORY);
    expect(reuseHeldTokens(model, prompt.slice(0, 3), prompt)).toEqual(prompt);
    expect(reuseHeldTokens(model, [], prompt)).toEqual(prompt);
    expect(reuseHeldTokens(model, canonical('Something else entirely.'), prompt)).toEqual(prompt);
  });

  it('never carries over a control token the prompt does not have (a BOS the model wrote mid-passage)', () => {
    const bos = model.tokens.bos;
    if (bos === null) return void console.info('skipped: the model has no BOS token');
    const start = canonical('Once upon a time');
    const held = [...start, bos, ...model.tokenize(' there was a little cat.', false, 'trimLeadingSpace')];
    const prompt = canonical(STORY);
    const reused = reuseHeldTokens(model, held, prompt);
    expect(reused.slice(1)).not.toContain(bos);
    expect(decode(reused)).toBe(decode(prompt));
  });
});

describe.skipIf(!has32k)('a follow-up call on a passage the model wrote (llama-2-tiny-random)', () => {
  it('reads only its own request, though the passage tokenises differently when read back', async () => {
    const runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
    const big = await runtime.loadModel(RANDOM_32K, { contextSize: 512 });
    try {
      const first = { system: '', turns: [{ user: 'A story.', answer: '' }] };
      const passage = await big.generate(first, { maxTokens: 60, temperature: 1, seed: 3 });
      const request = '## Memory update (JSON)';
      const followUp = { system: '', turns: [{ user: 'A story.', answer: passage.text }, { user: request, answer: '' }] };
      const update = await big.generate(followUp, { maxTokens: 4, temperature: 0 });
      // The premise: random weights write tokens that read back as other tokens (the prompt is spelled differently).
      expect(passage.generatedTokens).not.toBe(big.countTokens(passage.text));
      expect(update.evaluatedTokens).toBeLessThanOrEqual(big.countTokens(`\n\n${request}\n\n`) + 2);
    } finally {
      await big.dispose();
      await runtime.dispose();
    }
  });
});
