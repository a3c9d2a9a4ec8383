import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { KvStateFiles } from './KvStateFiles.js';
import type { RestoreReport } from './RestoreReport.js';

/**
 * Loads the saved state of `node` into `sequence` when it covers more of the coming prompt `tokens` than the
 * sequence already holds. Only a state this model wrote is ever loaded (see KvStateFiles.find): llama.cpp may
 * crash on another model's state. Whatever happens, the sequence is left usable and the report says why.
 */
export async function restoreState(
  states: KvStateFiles,
  session: string,
  node: number,
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
): Promise<RestoreReport> {
  const started = performance.now();
  const report = (restoredTokens: number, reason: string | null, refused = false): RestoreReport => ({
    node,
    loaded: reason === null,
    restoredTokens,
    reason,
    refused,
    milliseconds: performance.now() - started,
  });
  const found = states.find(session, node);
  if (found.kind === 'none') return report(0, `No state was saved for passage ${node}.`);
  if (found.kind === 'refused') return report(0, found.reason, true);
  if (found.tokens.length > sequence.contextSize) return report(0, `The saved state of passage ${node} is larger than this context.`, true);
  const held = sequence.compareContextTokens([...tokens]).firstDifferentIndex;
  let covered = 0;
  while (covered < tokens.length && covered < found.tokens.length && tokens[covered] === found.tokens[covered]) covered++;
  if (covered <= held) return report(0, `The cache already holds ${held} tokens of the prompt; the saved state covers ${covered}.`);
  try {
    await sequence.loadStateFromFile(found.file, { acceptRisk: true });
    return report(covered, null);
  } catch (error) {
    await sequence.clearHistory();
    const reason = error instanceof Error ? error.message : String(error);
    return report(0, `The saved state of passage ${node} could not be loaded (${reason}); the prompt is read instead.`, true);
  }
}
