import type { TokenCandidate } from '../contract/index.js';

/**
 * What the story engine needs from a language model. The llama.cpp adapter implements it; unit tests give a
 * scripted one. Keeping it this narrow is what lets story/ stay ignorant of llama.cpp.
 */
export interface TextModel {
  readonly name: string;
  readonly contextSize: number;
  /** 'chat': rendered with the model's chat template; 'completion': a plain document for base models. */
  readonly format: 'chat' | 'completion';
  countTokens(text: string): number;
  /** Tokens of a whole rendered conversation, template included. */
  countConversation(conversation: Conversation): number;
  generate(conversation: Conversation, options: TextGenerateOptions): Promise<TextGeneration>;
  generateJson(conversation: Conversation, schema: object, options: TextGenerateOptions): Promise<JsonTextGeneration>;
  /**
   * Aligned surprisal −ln p(x_i | x_<i) of each token of a character range of the conversation (by default its last
   * answer), in the context the model reads before it. Never the sampler's confidence (that is measured after
   * temperature, truncation and penalties).
   */
  score(conversation: Conversation, target?: ScoreTarget, options?: ScoreOptions): Promise<TextScore>;
  /** The same for plain text after the model's BOS and `context`, whatever the prompt format. */
  scoreText(text: string, context?: string, options?: ScoreOptions): Promise<TextScore>;
  /**
   * The `count` likeliest tokens the model would write after the conversation (its last answer is the text so far),
   * with their probabilities under the raw distribution, best first; tokens with no text of their own left out.
   */
  nextTokens(conversation: Conversation, count: number, options?: { signal?: AbortSignal }): Promise<TokenCandidate[]>;
}

export type { TokenCandidate };

/** A character range of one turn's request (`user`) or answer. */
export interface ScoreTarget {
  turn: number;
  field: 'user' | 'answer';
  start: number;
  end: number;
}

export interface ScoreOptions {
  /** 'auto': the whole distribution on small vocabularies, the top K on large ones. */
  method?: 'auto' | 'exact' | 'top-k';
  signal?: AbortSignal;
}

export interface TextScore {
  /** Tokens in order; their texts join into exactly the scored text. `start`/`end` are offsets in it. */
  tokens: { text: string; surprisal: number; start: number; end: number }[];
  meanSurprisal: number | null;
  method: 'exact' | 'top-k';
  evaluatedTokens: number;
  /** Top-K path: tokens outside the top K, which got the documented cap. */
  outsideTopK: number;
  milliseconds: number;
  /** Of `milliseconds`, reading the context before the text: work a generation on the same prompt then skips. */
  contextMilliseconds: number;
}

/**
 * A prompt as a short conversation. The last turn's `answer` is the start of what the model writes; earlier
 * answers are what it wrote before, so a follow-up call extends the previous prompt and reuses its KV cache.
 */
export interface Conversation {
  system: string;
  turns: { user: string; answer: string }[];
}

export interface TextGenerateOptions {
  maxTokens: number;
  temperature?: number;
  /** Truncation samplers; the adapter's defaults apply when absent. */
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  /** DRY repetition penalty; null turns it off. */
  dry?: { strength: number; base?: number; allowedLength?: number } | null;
  stopStrings?: string[];
  onText?: (text: string) => void;
  signal?: AbortSignal;
  /**
   * Score the tokens while writing them, from the same raw distribution `score` reads (free text only). A model
   * that cannot leaves `score` out of the result, and the text is scored afterwards.
   */
  scoreTokens?: boolean;
  /** Phrases the text must not contain: where one appears, the model goes back and writes something else (free text). */
  avoid?: readonly string[];
}

export interface TextGeneration {
  text: string;
  stopReason: 'end' | 'length' | 'stop-string';
  promptTokens: number;
  evaluatedTokens: number;
  generatedTokens: number;
  milliseconds: number;
  /** Times the model went back to avoid a phrase (absent: none). */
  avoidedPhrases?: number;
  /** With `scoreTokens`: the surprisal of each token of `text` as written (tokens join into exactly `text`). */
  score?: TextScore;
}

export interface JsonTextGeneration extends TextGeneration {
  /** The parsed value, or undefined when the text did not parse under the schema. */
  value: unknown;
  error: string | null;
}
