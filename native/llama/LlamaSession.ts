import type { Conversation, PromptFormat } from './Conversation.js';
import type { KeptState } from './KeptState.js';
import type { SavedPrompt } from './KvStateFiles.js';
import type { GenerateOptions, Generation, JsonGeneration } from './Generation.js';
import type { LlamaTextModel } from './LlamaTextModel.js';
import type { TokenCandidate } from './nextTokenCandidates.js';
import type { RestoreReport } from './RestoreReport.js';
import type { ScoreOptions, ScoreTarget, TextScore } from './TextScore.js';

/**
 * The model as one session (an open story) sees it: every call runs on the session's own sequence of the pool,
 * and its KV state can be saved after a step and offered back when the story is continued.
 */
export class LlamaSession {
  readonly #model: LlamaTextModel;
  readonly key: string;

  constructor(model: LlamaTextModel, key: string) {
    this.#model = model;
    this.key = key;
  }

  get name(): string {
    return this.#model.name;
  }

  get contextSize(): number {
    return this.#model.contextSize;
  }

  get format(): PromptFormat {
    return this.#model.format;
  }

  countTokens(text: string): number {
    return this.#model.countTokens(text);
  }

  countConversation(conversation: Conversation): number {
    return this.#model.countConversation(conversation);
  }

  generate(conversation: Conversation, options: GenerateOptions): Promise<Generation> {
    return this.#model.generate(conversation, { ...options, session: this.key });
  }

  generateJson(conversation: Conversation, schema: object, options: GenerateOptions): Promise<JsonGeneration> {
    return this.#model.generateJson(conversation, schema, { ...options, session: this.key });
  }

  score(conversation: Conversation, target?: ScoreTarget, options: ScoreOptions = {}): Promise<TextScore> {
    return this.#model.score(conversation, target, { ...options, session: this.key });
  }

  scoreText(text: string, context = '', options: ScoreOptions = {}): Promise<TextScore> {
    return this.#model.scoreText(text, context, { ...options, session: this.key });
  }

  nextTokens(conversation: Conversation, count: number, options: { signal?: AbortSignal } = {}): Promise<TokenCandidate[]> {
    return this.#model.nextTokens(conversation, count, { ...options, session: this.key });
  }

  /** Offers the saved state of `node` to this session's next call (see LlamaTextModel.offerState). */
  resumeFrom(node: number): void {
    this.#model.offerState(this.key, node);
  }

  /**
   * Reads `next` into this session's sequence, then saves its state under `node` with the prompt and its `key`
   * (see LlamaTextModel.keepState).
   */
  keep(node: number, next: Conversation, key?: string): Promise<KeptState> {
    return this.#model.keepState(this.key, node, next, key);
  }

  /** The prompt the saved state of `node` was read ahead for (see LlamaTextModel.savedPrompt). */
  savedPrompt(node: number): SavedPrompt | null {
    return this.#model.savedPrompt(this.key, node);
  }

  get restore(): RestoreReport | null {
    return this.#model.restoreReport(this.key);
  }

  /** Frees the sequence and deletes the saved states (the story was deleted). */
  forget(): Promise<void> {
    return this.#model.forgetSession(this.key);
  }
}
