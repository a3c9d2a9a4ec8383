import type { Conversation, TextModel } from '../story/TextModel.js';

/** What offering a saved KV state to a story's next call came to. */
export interface RestoreReport {
  node: number;
  loaded: boolean;
  restoredTokens: number;
  /** Why the state was not loaded; null when it was. */
  reason: string | null;
  /** A saved state existed but could not be used (another model's, damaged, too large, failed to load). */
  refused: boolean;
  milliseconds: number;
}

/**
 * The model as one open story sees it, when the model keeps a cache per story (the llama.cpp one does; scripted
 * models do not). The story code only sees the TextModel part; the engine uses the rest around a step.
 */
export interface StorySession extends TextModel {
  /** Offers the saved state of `nodeId` to the next call, which loads it if it covers more of its prompt. */
  resumeFrom(nodeId: number): void;
  /**
   * Reads `next` (the start of the next prompt) into the story's cache and saves that state under `nodeId`, with
   * `next` itself under `key` (see promptKey): the file (null when none is saved) and the prompt tokens read.
   */
  keep(nodeId: number, next: Conversation, key?: string): Promise<{ file: string | null; readTokens: number }>;
  /** The prompt the saved state of `nodeId` was read ahead for, with the key it was saved under. */
  savedPrompt(nodeId: number): { key: string; conversation: Conversation } | null;
  readonly restore: RestoreReport | null;
  /** Frees the story's cache and deletes its saved states. */
  forget(): Promise<void>;
}

export interface SessionModel {
  session(key: string): StorySession;
}

export function hasSessions(model: TextModel): model is TextModel & SessionModel {
  return typeof (model as Partial<SessionModel>).session === 'function';
}
