import type { LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp';
import type { ModelStateOptions } from './Generation.js';
import type { KeptState } from './KeptState.js';
import { KvStateFiles, type SavedPrompt } from './KvStateFiles.js';
import { prefillSequence } from './prefillSequence.js';
import { restoreState } from './restoreState.js';
import type { RestoreReport } from './RestoreReport.js';
import { SequencePool } from './SequencePool.js';

/**
 * The context's sequences as the sessions (open stories) hold them, and each session's KV state files: what is
 * offered back when a story is continued, what loading it came to, and the state saved after each step. Callers
 * serialise the calls (LlamaTextModel queues every call on its one context).
 */
export class SessionSequences {
  readonly #sequences: LlamaContextSequence[];
  readonly #pool: SequencePool<LlamaContextSequence>;
  readonly #states: KvStateFiles | null;
  /** Per session: the node whose saved state its next call may load. */
  readonly #offers = new Map<string, number>();
  readonly #restores = new Map<string, RestoreReport>();

  constructor(context: LlamaContext, modelFile: string, state: ModelStateOptions) {
    this.#sequences = Array.from({ length: Math.max(1, context.sequencesLeft) }, () => context.getSequence());
    this.#pool = new SequencePool(this.#sequences);
    this.#states = state.stateDir ? new KvStateFiles(state.stateDir, modelFile, { perStory: state.perStory, totalBytes: state.totalBytes }) : null;
  }

  /** How many sessions keep their own sequence at once. */
  get size(): number {
    return this.#pool.size;
  }

  /**
   * Offers the saved state of `node` to the session's next call: that call loads it when it covers more of its
   * prompt than the session's sequence holds (a fresh model, or the sequence went to another story).
   */
  offer(session: string, node: number): void {
    this.#offers.set(session, node);
  }

  /** What the session's last offer came to; null before any. */
  restoreReport(session: string): RestoreReport | null {
    return this.#restores.get(session) ?? null;
  }

  /** The session's sequence for a call on `tokens`, with its offered state loaded when that state covers more. */
  async bind(session: string | undefined, tokens: readonly Token[]): Promise<LlamaContextSequence> {
    const key = session ?? '';
    const { sequence } = this.#pool.acquire(key);
    const node = this.#offers.get(key);
    if (node === undefined || !this.#states) return sequence;
    this.#offers.delete(key);
    this.#restores.set(key, await restoreState(this.#states, key, node, sequence, tokens));
    return sequence;
  }

  /**
   * Reads `tokens` (the start of the session's next prompt) into its sequence without generating, stopping early
   * when `giveWay` says real work is waiting, then saves the state under `node`; the state covers what was read.
   */
  async keep(session: string, node: number, tokens: readonly Token[], giveWay: () => boolean, prompt?: SavedPrompt): Promise<KeptState> {
    const states = this.#states;
    if (!states) return { file: null, readTokens: 0 };
    const sequence = this.#pool.acquire(session).sequence;
    const readTokens = await prefillSequence(sequence, tokens, giveWay);
    const file = await states.save(session, node, sequence.contextTokens, (f) => sequence.saveStateToFile(f), prompt);
    return { file, readTokens };
  }

  /** The prompt the saved state of `node` was read ahead for, if this model saved one (see KvSidecar.prompt). */
  savedPrompt(session: string, node: number): SavedPrompt | null {
    return this.#states?.promptOf(session, node) ?? null;
  }

  /** Frees the session's sequence and deletes its saved states (its story was deleted). */
  forget(session: string): void {
    this.#pool.release(session);
    this.#offers.delete(session);
    this.#restores.delete(session);
    this.#states?.removeStory(session);
  }

  dispose(): void {
    for (const sequence of this.#sequences) sequence.dispose();
  }
}
