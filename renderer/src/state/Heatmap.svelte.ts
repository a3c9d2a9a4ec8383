import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { PromptPreview, TokenCandidate, TokenSurprisal } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe } from './describe.js';
import { wholeCharacters } from './wholeCharacters.js';

export interface PassageHeat {
  tokens: TokenSurprisal[];
  mean: number | null;
  /** Surprisal at which a token is coloured hottest: the passage's 95th percentile, so one outlier does not wash out the rest. */
  hot: number;
}

/** Something read from the engine on demand, as far as it is known. */
export type Loaded<T> = { loading: true } | { value: T } | { error: string };

/**
 * Per-passage surprisal heatmaps: which passages show one, and their tokens as loaded from the engine; with what
 * else the model might have written at a token, and the prompt the passage was written from.
 */
export class Heatmap {
  readonly #shown = new SvelteSet<number>();
  readonly #heat = new SvelteMap<number, PassageHeat>();
  readonly #errors = new SvelteMap<number, string>();
  /** Alternatives by `${nodeId}:${offset}`. */
  readonly #alternatives = new SvelteMap<string, Loaded<TokenCandidate[]>>();
  /** Prompts by `${nodeId}:`. */
  readonly #prompts = new SvelteMap<string, Loaded<PromptPreview>>();
  /** Passages whose tokens are being read; only to avoid asking twice, so not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #loading = new Set<number>();
  #inPlay = $state(false);
  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.#storyId = storyId;
  }

  isShown(nodeId: number): boolean {
    return this.#shown.has(nodeId);
  }

  heat(nodeId: number): PassageHeat | null {
    return this.#heat.get(nodeId) ?? null;
  }

  error(nodeId: number): string | null {
    return this.#errors.get(nodeId) ?? null;
  }

  /** Shows or hides a passage's heatmap; the tokens load the first time (again after `forget`). */
  async toggle(nodeId: number): Promise<void> {
    if (this.#shown.delete(nodeId)) return;
    this.#shown.add(nodeId);
    if (!this.#heat.has(nodeId)) await this.#load(nodeId);
  }

  /** Whether Play colours every passage (Write shows them one at a time, by each passage's button). */
  get inPlay(): boolean {
    return this.#inPlay;
  }

  toggleInPlay(): void {
    this.#inPlay = !this.#inPlay;
  }

  /** Reads a passage's tokens unless they are known or on their way: Play asks only for the passages on screen. */
  async ensure(nodeId: number): Promise<void> {
    if (this.#heat.has(nodeId) || this.#loading.has(nodeId)) return;
    await this.#load(nodeId);
  }

  /** Drops what is known of a passage (its text changed). */
  forget(nodeId: number): void {
    this.#heat.delete(nodeId);
    for (const map of [this.#alternatives, this.#prompts]) {
      for (const key of [...map.keys()]) if (key.startsWith(`${nodeId}:`)) map.delete(key);
    }
  }

  /** What the model might have written at `offset` of the passage (see loadAlternatives); null before it is asked. */
  alternatives(nodeId: number, offset: number): Loaded<TokenCandidate[]> | null {
    return this.#alternatives.get(`${nodeId}:${offset}`) ?? null;
  }

  /** Asks the engine, once per point (again after a failure), for the likeliest tokens at `offset` of the passage. */
  loadAlternatives(nodeId: number, offset: number): Promise<void> {
    return this.#read(this.#alternatives, `${nodeId}:${offset}`, true, async () => {
      return (await this.#backend.call('nodes.alternatives', { storyId: this.#storyId, nodeId, offset })).candidates;
    });
  }

  /** The prompt the passage was written from (see loadPrompt); null before it is asked. */
  prompt(nodeId: number): Loaded<PromptPreview> | null {
    return this.#prompts.get(`${nodeId}:`) ?? null;
  }

  /** Reads the prompt the passage was written from, each time: it is built from the story as it is now. */
  loadPrompt(nodeId: number): Promise<void> {
    return this.#read(this.#prompts, `${nodeId}:`, false, () => this.#backend.call('prompt.writtenFrom', { storyId: this.#storyId, nodeId }));
  }

  async #read<T>(map: SvelteMap<string, Loaded<T>>, key: string, once: boolean, read: () => Promise<T>): Promise<void> {
    const known = map.get(key);
    if (once && known && !('error' in known)) return;
    map.set(key, { loading: true });
    try {
      map.set(key, { value: await read() });
    } catch (error) {
      map.set(key, { error: describe(error) });
    }
  }

  async #load(nodeId: number): Promise<void> {
    this.#loading.add(nodeId);
    try {
      const result = await this.#backend.call('nodes.tokens', { storyId: this.#storyId, nodeId });
      const tokens = wholeCharacters(result.tokens);
      this.#heat.set(nodeId, { tokens, mean: result.meanSurprisal, hot: hotLevel(tokens) });
      this.#errors.delete(nodeId);
    } catch (error) {
      this.#errors.set(nodeId, describe(error));
    } finally {
      this.#loading.delete(nodeId);
    }
  }
}

function hotLevel(tokens: readonly TokenSurprisal[]): number {
  const values = tokens.map((t) => t.surprisal).sort((a, b) => a - b);
  if (values.length === 0) return 1;
  return Math.max(1e-6, values[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!);
}

/** The colour step (0–5) of a token. */
export function heatStep(surprisal: number, hot: number): number {
  return Math.max(0, Math.min(5, Math.round((surprisal / hot) * 5)));
}
