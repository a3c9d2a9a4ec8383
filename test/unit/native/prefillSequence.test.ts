import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { prefillSequence } from '../../../native/llama/prefillSequence.js';

/** Just what prefillSequence uses of a sequence: its tokens, erasing and reading. */
function fakeSequence(held: number[]) {
  const state = { tokens: [...held], reads: [] as number[] };
  const sequence = {
    get nextTokenIndex() {
      return state.tokens.length;
    },
    compareContextTokens(tokens: Token[]) {
      let i = 0;
      while (i < tokens.length && i < state.tokens.length && tokens[i] === state.tokens[i]) i++;
      return { firstDifferentIndex: i };
    },
    async eraseContextTokenRanges([range]: { start: number; end: number }[]) {
      state.tokens.splice(range!.start, range!.end - range!.start);
    },
    async evaluateWithoutGeneratingNewTokens(tokens: Token[]) {
      state.reads.push(tokens.length);
      state.tokens.push(...tokens);
    },
  };
  return { sequence: sequence as unknown as LlamaContextSequence, state };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (from + i) as Token);

describe('prefillSequence', () => {
  it('keeps the shared prefix, erases the rest, reads the new tail in chunks', async () => {
    const { sequence, state } = fakeSequence([...range(10), 999, 998]);
    const read = await prefillSequence(sequence, range(300));
    expect(read).toBe(290);
    expect(state.tokens).toEqual(range(300));
    expect(state.reads).toEqual([128, 128, 34]);
  });

  it('gives way to waiting work between chunks, keeping what it read', async () => {
    const { sequence, state } = fakeSequence([]);
    let checks = 0;
    const read = await prefillSequence(sequence, range(300), () => ++checks > 1);
    expect(read).toBe(128);
    expect(state.tokens).toEqual(range(128));
  });

  it('reads nothing when the sequence already holds the tokens', async () => {
    const { sequence, state } = fakeSequence(range(50));
    expect(await prefillSequence(sequence, range(50))).toBe(0);
    expect(state.reads).toEqual([]);
  });
});
