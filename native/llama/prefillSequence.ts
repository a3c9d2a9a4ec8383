import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/**
 * Leaves `sequence` holding exactly `tokens` without generating: keeps the prefix it already shares with them,
 * erases the rest and reads the new tail. Returns the tokens it read.
 */
export async function prefillSequence(sequence: LlamaContextSequence, tokens: readonly Token[]): Promise<number> {
  const keep = Math.min(sequence.compareContextTokens([...tokens]).firstDifferentIndex, tokens.length);
  if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  if (keep < tokens.length) await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(keep));
  return tokens.length - keep;
}
