import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../native/llama/index.js';
import { useTextModel } from '../fixtures/modelEngine.js';
import type { TextScore } from '../../native/llama/TextScore.js';
import { isTrained, resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
console.info(testModel.reason);

const PROMPT: Conversation = { system: 'Once upon a time', turns: [{ user: 'Write a story.', answer: '' }] };
const OPTIONS = { maxTokens: 120, temperature: 0.8, scoreTokens: true, dry: { strength: 0.8, base: 1.75, allowedLength: 2 } } as const;

const model = useTextModel(testModel.path);

/** Where `word` begins a word of `text`, ignoring case; -1 when it never does. Independent of PhraseGuard. */
function wordAt(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const match = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}`, 'iu').exec(text);
  return match ? match.index + match[1]!.length : -1;
}

/** The generation, with what was streamed to the reader. */
async function write(seed: number, avoid?: string[]) {
  let streamed = '';
  const generation = await model().generate(PROMPT, { ...OPTIONS, seed, avoid, onText: (t) => (streamed += t) });
  return { ...generation, streamed };
}

describe(`phrases to avoid, on a real model (${testModel.path.split('/').at(-1)})`, () => {
  it('goes back where a phrase began and writes on without it; the reader never saw it; the rest is unchanged', async () => {
    let avoided = 0;
    for (const seed of [1, 2, 3]) {
      const first = await write(seed);
      // The word the model wrote most often (three letters or more): the phrase to avoid.
      const counts = new Map<string, number>();
      for (const word of first.text.toLowerCase().match(/\p{L}{3,}/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
      const [phrase] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
      if (!phrase || wordAt(first.text, phrase) < 0) continue;

      const second = await write(seed, [phrase]);
      expect(wordAt(second.text, phrase), `seed ${seed}: "${phrase}" in ${JSON.stringify(second.text)}`).toBe(-1);
      expect(second.streamed).toBe(second.text);
      expect(second.text.trim().length).toBeGreaterThan(0);
      expect((second.score as TextScore).tokens.map((t) => t.text).join('')).toBe(second.text);
      expect(second.avoidedPhrases).toBeGreaterThanOrEqual(1);
      // The same seed draws the same tokens up to the token the phrase began in.
      const before = wordAt(first.text, phrase);
      let common = 0;
      while (common < before && first.text[common] === second.text[common]) common++;
      expect(common, `seed ${seed}`).toBeGreaterThanOrEqual(Math.max(0, before - 16));
      avoided++;
    }
    expect(avoided).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!isTrained(testModel))('after rewinding, what the model read is the text as written: the scores match a fresh reading', async () => {
    let close = 0;
    let total = 0;
    for (const seed of [4, 5, 6]) {
      const first = await write(seed);
      const words = [...new Set(first.text.toLowerCase().match(/\p{L}{4,}/gu) ?? [])].slice(0, 6);
      const second = await write(seed, words);
      expect(second.avoidedPhrases).toBeGreaterThanOrEqual(1);
      expect(second.streamed).toBe(second.text);
      const during = (second.score as TextScore).tokens;
      const after = await model().score({ system: PROMPT.system, turns: [{ user: PROMPT.turns[0]?.user ?? '', answer: second.text }] });
      for (const token of during) {
        const match = after.tokens.find((t) => t.start === token.start && t.end === token.end);
        if (!match) continue;
        total++;
        if (Math.abs(match.surprisal - token.surprisal) <= 0.05) close++;
      }
    }
    console.info(`${close} of ${total} tokens written around avoided phrases within 0.05 nats of a fresh reading`);
    expect(total).toBeGreaterThan(100);
    expect(close / total).toBeGreaterThanOrEqual(0.99);
  });
});
