import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/** Tokens read between checks for other work: a few hundred milliseconds on a mid-size model on the CPU. */
const CHUNK = 128;

/**
 * Reads `tokens` into `sequence` without generating: keeps the prefix it already shares with them, erases the
 * rest and reads the new tail in chunks, stopping early once `giveWay` says other work is waiting. Returns the
 * tokens it read.
 */
export async function prefillSequence(sequence: LlamaContextSequence, tokens: readonly Token[], giveWay: () => boolean = () => false): Promise<number> {
  const keep = Math.min(sequence.compareContextTokens([...tokens]).firstDifferentIndex, tokens.length);
  if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  let at = keep;
  while (at < tokens.length && !giveWay()) {
    const chunk = tokens.slice(at, at + CHUNK);
    await sequence.evaluateWithoutGeneratingNewTokens(chunk);
    at += chunk.length;
  }
  return at - keep;
}
