import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, Instruction, StepInput } from '../../electron/contract/index.js';
import { Engine } from '../../electron/engine/Engine.js';
import { type LlamaModelLoader, llamaModelLoader } from '../../electron/engine/llamaModelLoader.js';
import { segmentSpans } from '../../electron/memory/surprisal/segmentSpans.js';
import { contentSurprisal, spanScore } from '../../electron/memory/surprisal/spanScore.js';
import { COMPLETION_PASSAGE_HEADING } from '../../electron/story/passagePrompt.js';
import { renderCompletion } from '../../native/llama/Conversation.js';
import { LlamaRuntime, type LlamaTextModel } from '../../native/llama/index.js';
import { tokenPieces } from '../../native/llama/tokenPieces.js';
import { writeTinyGguf } from '../fixtures/gguf/writeTinyGguf.js';
import { isTrained, resolveTestModel, UNTRAINED_REASON } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
const trained = isTrained(testModel);
if (!trained) console.info(`some tests skip: ${UNTRAINED_REASON}`);
console.info(testModel.reason);
const root = fileURLToPath(new URL('../..', import.meta.url));
const RANDOM_32K = path.join(root, '..', 'shared', 'models', 'llama-2-tiny-random.gguf');
const has32k = fs.existsSync(RANDOM_32K);
if (!has32k) console.info(`skipping the 32k-vocabulary checks: ${RANDOM_32K} is absent`);

const STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play with her ball in the park. One day, a big dog came running. ' +
  'The dog wanted the ball too! Lily was scared, but she was brave. She threw the ball far away and the dog ran after it. ' +
  'Then she laughed and went home to tell her mother about the funny dog.';

let llama: Llama;
let runtime: LlamaRuntime;
let model: LlamaTextModel;
/** The same file loaded straight through node-llama-cpp, for computations independent of our adapter. */
let raw: LlamaModel;

beforeAll(async () => {
  runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
  model = await runtime.loadModel(testModel.path, { contextSize: 256 });
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  raw = await llama.loadModel({ modelPath: testModel.path });
});

afterAll(async () => {
  await model?.dispose();
  await runtime?.dispose();
  await raw?.dispose();
});

/** −ln p(x_i | x_<i) for tokens[from…], in one fresh teacher-forced pass over the full distribution. */
async function independentExact(m: LlamaModel, tokens: Token[], from: number, contextSize = 512): Promise<number[]> {
  const context = await m.createContext({ contextSize, threads: 1 });
  try {
    const sequence = context.getSequence();
    const results = await sequence.controlledEvaluate(
      tokens.map((t, i) => (i >= from - 1 && i < tokens.length - 1 ? [t, { generateNext: { probabilities: true } }] : t)),
    );
    return tokens.slice(from).map((t, j) => -Math.log(results[from - 1 + j]?.next.probabilities?.get(t) ?? 0));
  } finally {
    await context.dispose();
  }
}

function withBos(m: LlamaModel, tokens: Token[]): Token[] {
  return m.tokens.bos !== null ? [m.tokens.bos, ...tokens] : tokens;
}

function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Share of stored values within `tolerance` nats of the independent ones. */
function agreement(stored: readonly number[], exact: readonly number[], tolerance = 0.05): number {
  expect(stored.length).toBe(exact.length);
  return stored.filter((s, i) => Math.abs(s - (exact[i] ?? Infinity)) <= tolerance).length / Math.max(1, stored.length);
}

describe(`scoring text on ${path.basename(testModel.path)}`, () => {
  it.skipIf(!trained)('matches an independent exact computation, token for token, and its tokens join into the text', async () => {
    const cases: [string, string][] = [
      ['', STORY],
      ['The little dog said: ', '"Woof! I like the ball."'],
      ['Lily saw a ', 'dragon 🐉 named 龍 in the café.'],
    ];
    for (const [context, text] of cases) {
      const scored = await model.scoreText(text, context);
      expect(scored.tokens.map((t) => t.text).join('')).toBe(text);
      const full = withBos(raw, raw.tokenize(context + text));
      const from = commonPrefix(full, withBos(raw, context ? raw.tokenize(context) : []));
      const exact = await independentExact(raw, full, from);
      expect(agreement(scored.tokens.map((t) => t.surprisal), exact)).toBe(1);
      expect(scored.meanSurprisal).toBeCloseTo(exact.reduce((a, b) => a + b, 0) / exact.length, 3);
    }
  });

  it.skipIf(!trained)('scores text longer than the context in windows, losing nothing', async () => {
    const long = `${STORY} `.repeat(6).trimEnd();
    const scored = await model.scoreText(long);
    const tokens = withBos(raw, raw.tokenize(long));
    expect(tokens.length).toBeGreaterThan(model.contextSize * 2);
    expect(scored.tokens).toHaveLength(tokens.length - 1);
    expect(scored.tokens.map((t) => t.text).join('')).toBe(long);
    for (const t of scored.tokens) expect(Number.isFinite(t.surprisal) && t.surprisal >= 0).toBe(true);
    // The first window reads from the very beginning, exactly as one pass over that much would.
    const head = await independentExact(raw, tokens.slice(0, model.contextSize), 1);
    expect(agreement(scored.tokens.slice(0, head.length).map((t) => t.surprisal), head)).toBe(1);
    // Each later window reads the BOS and half a context of what precedes it, exactly as one pass over that would.
    const size = model.contextSize;
    let [t0, a, t1] = [1, 1, size];
    while (t1 < tokens.length) [t0, a, t1] = [t1, t1 - size / 2, Math.min(tokens.length, t1 - size / 2 + size - 1)];
    const last = await independentExact(raw, [...tokens.slice(0, 1), ...tokens.slice(a)], t0 - a + 1);
    expect(agreement(scored.tokens.slice(t0 - 1).map((t) => t.surprisal), last)).toBe(1);
  });

  it('handles empty text, blank text, emoji and CJK without losing a character', async () => {
    expect((await model.scoreText('')).tokens).toEqual([]);
    expect((await model.scoreText('', 'context')).meanSurprisal).toBeNull();
    for (const text of [' ', '\n\n', '🐉🐉🐉', '龍が来た。', 'é\u0301 ZWJ 👩‍👩‍👧']) {
      const scored = await model.scoreText(text, 'Once ');
      expect(scored.tokens.map((t) => t.text).join('')).toBe(text);
      for (const t of scored.tokens) expect(Number.isFinite(t.surprisal) && t.surprisal >= 0).toBe(true);
    }
  });

  it('scores a range of a conversation where it stands, leaving the prompt in the cache for the next call', async () => {
    const user = '## Story\nA cat.\n\n## What happens next\nThe reader chooses this action: I jump over the moon\nContinue.';
    const action = 'I jump over the moon';
    const conversation = { system: '', turns: [{ user, answer: '## Next passage\n\n' }] };
    const start = user.indexOf(action);
    const scored = await model.score(conversation, { turn: 0, field: 'user', start, end: start + action.length });
    expect(scored.tokens.map((t) => t.text).join('')).toBe(action);
    const generation = await model.generate(conversation, { maxTokens: 4, temperature: 0 });
    // Only what follows the action had to be read.
    expect(generation.evaluatedTokens).toBeLessThan(generation.promptTokens / 3);
  });
});

describe('scoring through a chat template', () => {
  const CHATML = `{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-surprisal-chat-'));
  let chat: LlamaTextModel;

  beforeAll(async () => {
    const file = path.join(dir, 'chat.gguf');
    writeTinyGguf(file, { chatTemplate: CHATML });
    chat = await runtime.loadModel(file, { contextSize: 512 });
  });

  afterAll(async () => {
    await chat?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the reader\'s words inside the user turn and the passage inside the answer, exactly', async () => {
    expect(chat.format).toBe('chat');
    const action = 'I open the door';
    const user = `## What happens next\nThe reader chooses this action: ${action}\nContinue.\n\nWrite the next passage.`;
    const conversation = { system: 'You write stories.', turns: [{ user, answer: '' }] };
    const start = user.indexOf(action);
    const scored = await chat.score(conversation, { turn: 0, field: 'user', start, end: start + action.length });
    expect(scored.tokens.map((t) => t.text).join('')).toBe(action);
    const passage = 'The fox ran.';
    const withPassage = { ...conversation, turns: [{ user, answer: passage }] };
    const scoredPassage = await chat.score(withPassage, { turn: 0, field: 'answer', start: 0, end: passage.length });
    expect(scoredPassage.tokens.map((t) => t.text).join('')).toBe(passage);
    for (const t of [...scored.tokens, ...scoredPassage.tokens]) expect(t.surprisal).toBeGreaterThanOrEqual(0);
  });
});

describe('stored heatmap of a story, against an independent exact computation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-surprisal-'));
  let engine: Engine;
  const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent) => undefined });

  beforeAll(() => {
    engine = Engine.open({
      dbPath: path.join(dir, 'stories.db'),
      modelPath: testModel.path,
      loader: llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 512 }),
      version: 'test',
      generation: { seed: 5, passageTokens: 80 },
    });
  });

  afterAll(async () => {
    await engine?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stored surprisal is within 0.05 nats of the exact value for at least 97% of tokens, and within 0.25 for all', async () => {
    const opened = await engine.stories.create({ premise: 'A little cat wants to find the moon.' }, call());
    const storyId = opened.story.id;
    for (const input of [{ choice: 1 }, { action: 'I give the cat a red hat.' }, { plan: 'The cat meets an owl.' }, { choice: 2 }] as StepInput[]) {
      await engine.stories.step(storyId, undefined, input, call());
    }
    const nodes = engine.stories.open(storyId).path;
    let within = 0;
    let total = 0;
    let retokenized = 0;
    let worst = 0;
    for (const node of nodes.slice(1)) {
      const parent = nodes.find((n) => n.id === node.parentId);
      const preview = await engine.stories.preview(storyId, parent?.id, toInput(node.instruction), call());
      const doc = (answer: string) => renderCompletion({ system: '', turns: [{ user: preview.text, answer }] });
      const full = withBos(raw, raw.tokenize(doc(`${COMPLETION_PASSAGE_HEADING}${node.passage}`)));
      const from = commonPrefix(full, withBos(raw, raw.tokenize(doc(COMPLETION_PASSAGE_HEADING))));
      const exact = await independentExact(raw, full, from);
      const stored = engine.stories.memory.tokens(storyId, node.id).tokens;
      expect(stored.map((t) => t.text).join('')).toBe(node.passage);
      expect(node.stats.scoringMs).toBeGreaterThan(0);
      // Passages are scored as written, token by token. Sampling can pick a run of tokens that the tokenizer splits
      // otherwise when it reads the text back ("e"+"s" written, "es" read): such a passage has no token-by-token
      // comparison to make. Random weights do it in most passages, a trained model now and then
      // (surprisalDuringGeneration compares token ids on both).
      const read = tokenPieces(raw, full, from, full.length);
      if (read.length !== stored.length || read.some((piece, i) => piece !== stored[i]?.text)) {
        retokenized += 1;
        continue;
      }
      expect(stored).toHaveLength(exact.length);
      within += stored.filter((t, i) => Math.abs(t.surprisal - (exact[i] ?? Infinity)) <= 0.05).length;
      worst = Math.max(worst, ...stored.map((t, i) => Math.abs(t.surprisal - (exact[i] ?? Infinity))));
      total += stored.length;
    }
    console.info(`stored vs exact: ${within} of ${total} tokens within 0.05 nats, worst ${worst.toFixed(3)}; ${retokenized} passages read back as other tokens`);
    const steps = nodes.slice(1);
    const scoring = steps.reduce((sum, n) => sum + n.stats.scoringMs, 0);
    const ms = steps.reduce((sum, n) => sum + n.stats.milliseconds, 0);
    console.info(`${path.basename(testModel.path)}: scoring ${(scoring / steps.length).toFixed(0)} ms of ${(ms / steps.length).toFixed(0)} ms per step (${((100 * scoring) / ms).toFixed(1)}%)`);
    if (trained) expect(retokenized).toBeLessThanOrEqual(1);
    if (total === 0) {
      console.info(`stored vs exact: no passage to compare token by token on this model; ${UNTRAINED_REASON}`);
      return;
    }
    // Written passages are scored on the top 64 candidates with a fitted tail (GenerationScorer). Where the
    // distribution is flat the tail is misjudged by up to about a tenth of a nat: 0.1% of 1,500 tokens when that was
    // calibrated, 2.6% of the 228 of one story here (all within 0.12), so the bound is 97% within 0.05, all within 0.25.
    expect(within / total).toBeGreaterThanOrEqual(0.97);
    expect(worst).toBeLessThanOrEqual(0.25);
  });

  it.skipIf(!trained)('a canon fact added at the start stays in memory and in the prompt; chatter of the same score fades out', async () => {
    const opened = await engine.stories.create({ premise: 'Two friends build a boat.' }, call());
    const storyId = opened.story.id;
    const fact = 'The boat is called Zephyrine and its sail is violet.';
    const chatter = 'Grumbald muttered about soggy turnips.';
    await engine.stories.memory.add(storyId, undefined, { text: fact, kind: 'canon' });
    const added = await engine.stories.memory.add(storyId, undefined, { text: chatter, kind: 'chatter' });
    const score = (text: string) => added.path.at(-1)?.keyMemory.find((e) => e.text === text)?.score;
    expect(score(fact)).toBe(score(chatter));

    const view = await engine.stories.auto(storyId, { passages: 12 }, call());
    const memory = view.path.at(-1)?.keyMemory ?? [];
    expect(memory.find((e) => e.text === fact)).toMatchObject({ kind: 'canon', score: score(fact) });
    expect(memory.some((e) => e.text === chatter)).toBe(false);
    const preview = await engine.stories.preview(storyId, undefined, { choice: 1 }, call());
    expect(preview.text).toContain(`- ${fact}`);
    expect(preview.text).not.toContain(chatter);
  });
});

describe.skipIf(!has32k)('a 32k vocabulary (llama-2-tiny-random): top-K against exact', () => {
  let big: LlamaTextModel;

  beforeAll(async () => {
    big = await runtime.loadModel(RANDOM_32K, { contextSize: 512 });
  });

  afterAll(async () => {
    await big?.dispose();
  });

  it('uses the top-K path, and ranks spans as the exact path does (Spearman ρ ≥ 0.9)', async () => {
    expect(big.scoringMethod).toBe('top-k');
    const texts = [
      STORY,
      'The harbour was grey at dawn. Mara counted the boats twice. Three were missing. The gulls screamed over the empty moorings. ' +
        'Old Quennel swore he had seen lanterns moving on the water. Nobody believed him. The fog came back at noon.',
      'Zephyrine sailed north. Her violet sail caught the wind. A clockwork heron watched from the mast. The crew sang about turnips. ' +
        'Rain fell for seven days. On the eighth the sea turned to glass.',
    ];
    const exactSpans: number[] = [];
    const topKSpans: number[] = [];
    let outside = 0;
    for (const text of texts) {
      const exact = await big.scoreText(text, '', { method: 'exact' });
      const topK = await big.scoreText(text, '', { method: 'top-k' });
      expect(topK.tokens.map((t) => t.text)).toEqual(exact.tokens.map((t) => t.text));
      outside += topK.outsideTopK;
      for (const span of segmentSpans(text, 30)) {
        const e = spanScore(span, contentSurprisal(exact.tokens));
        const k = spanScore(span, contentSurprisal(topK.tokens));
        if (e === null || k === null) continue;
        exactSpans.push(e);
        topKSpans.push(k);
      }
    }
    const rho = spearman(topKSpans, exactSpans);
    console.info(`32k model: ${exactSpans.length} spans, Spearman ρ = ${rho.toFixed(3)}, ${outside} tokens outside the top K`);
    expect(exactSpans.length).toBeGreaterThanOrEqual(20);
    expect(rho).toBeGreaterThanOrEqual(0.9);
  });

  it('scores each passage while writing it: no pass over the passage afterwards', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-surprisal-32k-'));
    const loader = llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 512 });
    /** Characters of a written passage (the answer field) scored after the fact, one entry per call. */
    const rescored: number[] = [];
    const watching: LlamaModelLoader = {
      ...loader,
      async load(file, signal, extra) {
        const loaded = await loader.load(file, signal, extra);
        const score = loaded.score.bind(loaded);
        loaded.score = (conversation, target, options) => {
          if (target?.field === 'answer') rescored.push(target.end - target.start);
          return score(conversation, target, options);
        };
        return loaded;
      },
    };
    const engine = Engine.open({
      dbPath: path.join(dir, 'stories.db'),
      modelPath: RANDOM_32K,
      loader: watching,
      version: 'test',
      generation: { seed: 9, passageTokens: 80 },
    });
    try {
      const call = { signal: new AbortController().signal, emit: (_e: CallEvent) => undefined };
      const opened = await engine.stories.create({ premise: 'A boat.' }, call);
      rescored.length = 0; // the opening is written through its own path
      const view = await engine.stories.auto(opened.story.id, { passages: 8 }, call);
      const steps = view.path.slice(1);
      const written = steps.reduce((sum, n) => sum + n.passage.length, 0);
      console.info(`32k model: ${rescored.length} rescoring calls over ${rescored.reduce((a, b) => a + b, 0)} of ${written} passage characters`);
      for (const n of steps) expect(n.stats.scoringMs).toBeGreaterThan(0);
      // Scoring a passage afterwards cost 9–11% of a step on this model (each scored token a vocabulary-sized
      // sampling). Scored while written, a passage is rescored at most at a cut end that split a token: one short
      // range a step, never the passage itself.
      expect(rescored.length).toBeLessThanOrEqual(steps.length);
      for (const chars of rescored) expect(chars).toBeLessThanOrEqual(16);
      for (const n of steps) expect(engine.stories.memory.tokens(opened.story.id, n.id).tokens.map((t) => t.text).join('')).toBe(n.passage);
    } finally {
      await engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function toInput(instruction: Instruction): StepInput {
  if (instruction.kind === 'choice') return { choice: instruction.choice };
  if (instruction.kind === 'action') return { action: instruction.text };
  if (instruction.kind === 'plan') return { plan: instruction.text };
  throw new Error('the opening has no step input');
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
    for (let k = i; k <= j; k++) out[order[k]?.[1] as number] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  ra.forEach((x, i) => {
    const y = rb[i] as number;
    num += (x - ma) * (y - mb);
    da += (x - ma) ** 2;
    db += (y - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}
