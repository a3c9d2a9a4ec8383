import type { TextScore } from './TextScore.js';

/** What a generation call takes and returns (LlamaTextModel, LlamaSession). */
export interface SamplingOptions {
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
  /** DRY ("don't repeat yourself") penalty against verbatim loops; off for structured output, whose keys repeat. */
  dry?: { strength: number; base?: number; allowedLength?: number } | null;
}

export interface GenerateOptions extends SamplingOptions {
  maxTokens: number;
  stopStrings?: string[];
  onText?: (text: string) => void;
  signal?: AbortSignal;
  /** The session (open story) whose sequence runs the call; '' (default) is the shared one. */
  session?: string;
  /**
   * Score the generated tokens while writing them (see GenerationScorer), always on the top SCORING_TOP_K
   * candidates: the sampler then runs in JS on them, which caps the story's top-K there. Free text only.
   */
  scoreTokens?: boolean;
  /**
   * Phrases the text must not contain (case ignored, from the start of a word): where one appears, generation goes
   * back to where it began and draws another token there (see PhraseGuard). Free text only.
   */
  avoid?: readonly string[];
}

export interface ModelStateOptions {
  /** Folder of the KV state files (one per story and node); none: states are not saved. */
  stateDir?: string;
  perStory?: number;
  totalBytes?: number;
}

export interface Generation {
  text: string;
  stopReason: 'end' | 'length' | 'stop-string';
  promptTokens: number;
  /** Prompt tokens the model actually read; the rest were already in the KV cache. */
  evaluatedTokens: number;
  generatedTokens: number;
  milliseconds: number;
  /** Times generation went back to avoid a phrase (absent: none). */
  avoidedPhrases?: number;
  /** With `scoreTokens`: the surprisal of each token of `text`, as the model wrote it. */
  score?: TextScore;
}

export interface JsonGeneration extends Generation {
  /** The parsed value, or undefined when the output did not parse under the schema (see `error`). */
  value: unknown;
  error: string | null;
}
