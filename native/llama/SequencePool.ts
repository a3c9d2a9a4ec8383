/**
 * Binds sessions (open stories) to a context's few sequences, least recently used first out, so each open story
 * keeps its own KV cache between calls instead of overwriting one shared sequence. A session that lost its
 * sequence gets another one back holding someone else's tokens; its saved state file can then restore it.
 */
export class SequencePool<S> {
  readonly #sequences: readonly S[];
  /** Session key bound to each sequence, by index; undefined while free. */
  readonly #owners: (string | undefined)[];
  /** Session keys, least recently used first. */
  readonly #recent: string[] = [];

  constructor(sequences: readonly S[]) {
    if (sequences.length === 0) throw new Error('A sequence pool needs at least one sequence.');
    this.#sequences = sequences;
    this.#owners = sequences.map(() => undefined);
  }

  get size(): number {
    return this.#sequences.length;
  }

  /**
   * The session's sequence. `rebound` says it was just taken (free, or evicted from `evicted`), so what it holds
   * is not this session's.
   */
  acquire(session: string): { sequence: S; rebound: boolean; evicted: string | null } {
    let index = this.#owners.indexOf(session);
    let rebound = false;
    let evicted: string | null = null;
    if (index === -1) {
      rebound = true;
      index = this.#owners.indexOf(undefined);
      if (index === -1) {
        const oldest = this.#recent.find((key) => this.#owners.includes(key)) ?? this.#owners[0];
        index = this.#owners.indexOf(oldest);
        evicted = oldest ?? null;
        this.#forget(evicted);
      }
      this.#owners[index] = session;
    }
    this.#forget(session);
    this.#recent.push(session);
    return { sequence: this.#sequences[index] as S, rebound, evicted };
  }

  /** The session's sequence if it still holds one; never evicts. */
  peek(session: string): S | undefined {
    const index = this.#owners.indexOf(session);
    return index === -1 ? undefined : this.#sequences[index];
  }

  /** Frees the session's sequence (its story was closed or deleted). */
  release(session: string): void {
    const index = this.#owners.indexOf(session);
    if (index !== -1) this.#owners[index] = undefined;
    this.#forget(session);
  }

  #forget(session: string | null): void {
    const at = session === null ? -1 : this.#recent.indexOf(session);
    if (at !== -1) this.#recent.splice(at, 1);
  }
}
