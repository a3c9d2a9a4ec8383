import type { ScoringMethod } from './scoreRange.js';

/** Where the text to score lies in a conversation: a character range of one turn's request or answer. */
export interface ScoreTarget {
  turn: number;
  field: 'user' | 'answer';
  start: number;
  end: number;
}

export interface ScoreOptions {
  /** 'auto' (default): the whole distribution on small vocabularies, top-K on large ones. */
  method?: 'auto' | ScoringMethod;
  signal?: AbortSignal;
  /** The session (open story) whose sequence runs the call; '' (default) is the shared one. */
  session?: string;
}

/** One token of scored text: its characters in that text (tokens cover it exactly, in order) and its surprisal in nats. */
export interface TokenSurprisal {
  text: string;
  surprisal: number;
  start: number;
  end: number;
}

export interface TextScore {
  tokens: TokenSurprisal[];
  /** Mean over the tokens; null for empty text. */
  meanSurprisal: number | null;
  method: ScoringMethod;
  /** Tokens the model read for the scoring (the rest came from the KV cache). */
  evaluatedTokens: number;
  /** Top-K path: tokens that stayed outside the top K and got the documented cap. */
  outsideTopK: number;
  milliseconds: number;
  /** Of `milliseconds`, the time spent reading the context before the text, which a generation on it reuses. */
  contextMilliseconds: number;
}
