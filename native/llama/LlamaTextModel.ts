import path from 'node:path';
import {
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaGrammarEvaluationState,
  type LlamaModel,
  resolveChatWrapper,
  type Token,
} from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { type Conversation, type PromptFormat, renderCompletion } from './Conversation.js';
import { compactJsonGrammar } from './compactJsonGrammar.js';
import type { ScoringMethod } from './scoreRange.js';
import { scoreTokens } from './scoreTokens.js';
import type { ScoreOptions, ScoreTarget, TextScore } from './TextScore.js';
import { targetField, truncateConversation } from './truncateConversation.js';
import { GenerationScorer } from './GenerationScorer.js';
import type { KeptState } from './KeptState.js';
import type { SavedPrompt } from './KvStateFiles.js';
import { LlamaSession } from './LlamaSession.js';
import { SessionSequences } from './SessionSequences.js';
import { nextTokenCandidates, type TokenCandidate } from './nextTokenCandidates.js';
import { reuseHeldTokens } from './reuseHeldTokens.js';
import type { RestoreReport } from './RestoreReport.js';
import type { StorySamplerOptions } from './StorySampler.js';
import type { GenerateOptions, Generation, JsonGeneration, ModelStateOptions } from './Generation.js';
import { LruMemo } from './LruMemo.js';
import { drawTokens } from './drawTokens.js';
import { PhraseGuard } from './PhraseGuard.js';
import { RenderMemo } from './RenderMemo.js';
import { TextStream } from './TextStream.js';

/**
 * Vocabularies up to this size are scored on the whole distribution; larger ones on the top K (a full map of a 32k
 * vocabulary costs about 30 times more: 1.2 s against 40 ms per 200 tokens on the build machines).
 */
export const EXACT_SCORING_VOCABULARY = 4096;
/** Candidates per position on the top-K path, and the logit bias that brings the scored token among them. */
export const SCORING_TOP_K = 64;
export const SCORING_BIAS = 30;

/**
 * A loaded model with a small pool of context sequences, one per open session (story). It generates with its own
 * loop over a sequence (rather than LlamaCompletion) so that prompts are exactly the tokens we render, the DRY
 * penalty applies, and the KV cache is reused for whatever prefix the new prompt shares with the sequence.
 */
export class LlamaTextModel {
  readonly file: string;
  readonly format: PromptFormat;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #sessions: SessionSequences;
  readonly #chatWrapper: ChatWrapper | null;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  readonly #rendered = new RenderMemo<readonly Token[]>(4);
  /** Token counts of recent texts: prompt assembly counts the same stable texts (bible, memory entries) every step. */
  readonly #counted = new LruMemo<number>(512);
  /** Lengths of rendered conversations: the fixed frame around a prompt body is measured at every assembly. */
  readonly #conversationCounts = new RenderMemo<number>(8);
  #queue: Promise<unknown> = Promise.resolve();
  /** Calls queued and not yet started: reading ahead for a state file gives way to them. */
  #waiting = 0;

  constructor(file: string, llama: Llama, model: LlamaModel, context: LlamaContext, format: PromptFormat, state: ModelStateOptions = {}) {
    this.file = file;
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.#sessions = new SessionSequences(context, file, state);
    this.format = format;
    this.#chatWrapper = format === 'chat' ? resolveChatWrapper(model) : null;
  }

  get name(): string {
    const { name, architecture } = this.#model.fileInfo.metadata.general ?? {};
    // Some files name only their architecture ("llama"); the file name says more then.
    return typeof name === 'string' && name.length > 0 && name !== architecture ? name : path.basename(this.file);
  }

  get contextSize(): number {
    return this.#context.contextSize;
  }

  countTokens(text: string): number {
    return text.length === 0 ? 0 : this.#counted.get(text, () => this.#model.tokenize(text).length);
  }

  /** Tokens of the rendered conversation, as the model will read them. */
  countConversation(conversation: Conversation): number {
    return this.#conversationCounts.get(conversation, () => this.#rendered.get(conversation, () => this.#tokenize(conversation)).length);
  }

  /** Sequences in the pool: how many stories keep their own cache at once. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** The model as the session `key` (an open story) sees it: its calls run on that session's sequence. */
  session(key: string): LlamaSession {
    return new LlamaSession(this, key);
  }

  /**
   * Free text. Calls are serialised (one context); each session's sequence keeps its cache between its calls.
   */
  generate(conversation: Conversation, options: GenerateOptions): Promise<Generation> {
    return this.#enqueue(async () => {
      const tokens = this.#render(conversation);
      return this.#run(await this.#sessions.bind(options.session, tokens), tokens, options, null);
    });
  }

  /**
   * Compact JSON constrained by a grammar built from the schema (see compactJsonGrammar), so it always has the
   * schema's shape unless cut short by maxTokens. The JSON is what the model writes after the conversation.
   */
  generateJson(conversation: Conversation, schema: object, options: GenerateOptions): Promise<JsonGeneration> {
    return this.#enqueue(async () => {
      const grammar = await this.#grammarFor(schema);
      const state = new LlamaGrammarEvaluationState({ model: this.#model, grammar });
      const tokens = this.#render(conversation);
      const generation = await this.#run(await this.#sessions.bind(options.session, tokens), tokens, { ...options, dry: null }, state);
      try {
        return { ...generation, value: JSON.parse(generation.text) as unknown, error: null };
      } catch (error) {
        return { ...generation, value: undefined, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  /** How this model's text is scored: the whole distribution on small vocabularies, the top K on large ones. */
  get scoringMethod(): ScoringMethod {
    return this.#vocabularySize <= EXACT_SCORING_VOCABULARY ? 'exact' : 'top-k';
  }

  /**
   * Aligned surprisal of each token of a character range of the conversation (by default its last answer), in the
   * context the model reads before it: rendered exactly as for generation, so scoring a passage right after writing
   * it keeps the prompt in the cache, and the sequence is left holding the text for the next call to reuse.
   */
  score(conversation: Conversation, target?: ScoreTarget, options: ScoreOptions = {}): Promise<TextScore> {
    const last = conversation.turns.length - 1;
    const resolved = target ?? { turn: last, field: 'answer', start: 0, end: conversation.turns[last]?.answer.length ?? 0 };
    return this.#enqueue(async () => {
      const text = targetField(conversation, resolved).slice(resolved.start, resolved.end);
      if (text.length === 0) return this.#emptyScore(options);
      const full = this.#render(conversation);
      const from = commonPrefix(full, this.#render(truncateConversation(conversation, resolved, resolved.start)));
      const to = Math.max(from, commonPrefix(full, this.#render(truncateConversation(conversation, resolved, resolved.end))));
      return this.#scoreTokens(await this.#sessions.bind(options.session, full), full, from, to, text, options);
    });
  }

  /** Aligned surprisal of each token of `text` after the BOS and `context`, as plain text whatever the prompt format. */
  scoreText(text: string, context = '', options: ScoreOptions = {}): Promise<TextScore> {
    return this.#enqueue(async () => {
      if (text.length === 0) return this.#emptyScore(options);
      const full = this.#withBos(this.#model.tokenize(context + text));
      const before = this.#withBos(context.length === 0 ? [] : this.#model.tokenize(context));
      return this.#scoreTokens(await this.#sessions.bind(options.session, full), full, commonPrefix(full, before), full.length, text, options);
    });
  }

  /**
   * The `count` likeliest tokens the model would write after the conversation (whose last answer is the text so
   * far), with their probabilities under the raw distribution (see nextTokenCandidates).
   */
  nextTokens(conversation: Conversation, count: number, options: { session?: string; signal?: AbortSignal } = {}): Promise<TokenCandidate[]> {
    return this.#enqueue(async () => {
      const tokens = this.#render(conversation);
      if (tokens.length >= this.contextSize) {
        throw new NativeError('GENERATION_FAILED', `The prompt and the text before this point take ${tokens.length} tokens; the context holds ${this.contextSize}.`);
      }
      return nextTokenCandidates(this.#model, await this.#sessions.bind(options.session, tokens), tokens, count, options.signal);
    });
  }

  get #vocabularySize(): number {
    return this.#model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? Number.MAX_SAFE_INTEGER;
  }

  #emptyScore(options: ScoreOptions): TextScore {
    const method = options.method && options.method !== 'auto' ? options.method : this.scoringMethod;
    return { tokens: [], meanSurprisal: null, method, evaluatedTokens: 0, outsideTopK: 0, milliseconds: 0, contextMilliseconds: 0 };
  }

  #scoreTokens(sequence: LlamaContextSequence, tokens: Token[], from: number, to: number, text: string, options: ScoreOptions): Promise<TextScore> {
    const method = options.method && options.method !== 'auto' ? options.method : this.scoringMethod;
    return scoreTokens(this.#model, sequence, tokens, from, to, text, {
      method,
      topK: SCORING_TOP_K,
      bias: SCORING_BIAS,
      contextSize: this.contextSize,
      vocabularySize: this.#vocabularySize,
      signal: options.signal,
    });
  }

  #generationScorer(sampling: StorySamplerOptions, options: GenerateOptions, guard: PhraseGuard | null): GenerationScorer {
    return new GenerationScorer(
      this.#model,
      { ...sampling, dry: options.dry ?? null },
      { topK: SCORING_TOP_K, vocabularySize: this.#vocabularySize },
      guard ? (position) => guard.banned(position) : undefined,
    );
  }

  #withBos(tokens: Token[]): Token[] {
    const bos = this.#model.tokens.bos;
    return bos !== null && this.#model.tokens.shouldPrependBosToken ? [bos, ...tokens] : tokens;
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    this.#waiting += 1;
    const run = this.#queue.then(() => {
      this.#waiting -= 1;
      return work();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** A copy of the memoised tokens, so no caller can change what the next one gets. */
  #render(conversation: Conversation): Token[] {
    return [...this.#rendered.get(conversation, () => this.#tokenize(conversation))];
  }

  #tokenize(conversation: Conversation): Token[] {
    if (!this.#chatWrapper) return this.#withBos(this.#model.tokenize(renderCompletion(conversation)));
    const history: ChatHistoryItem[] = [{ type: 'system', text: conversation.system }];
    for (const turn of conversation.turns) {
      history.push({ type: 'user', text: turn.user }, { type: 'model', response: [turn.answer] });
    }
    const { contextText } = this.#chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(this.#model.tokenizer);
  }

  #grammarFor(schema: object): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = this.#llama.createGrammar({ grammar: compactJsonGrammar(schema) });
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }

  /** Offers the saved state of `node` to the session's next call (see SessionSequences.offer). */
  offerState(session: string, node: number): void {
    this.#sessions.offer(session, node);
  }

  /** What the session's last offer came to; null before any. */
  restoreReport(session: string): RestoreReport | null {
    return this.#sessions.restoreReport(session);
  }

  /**
   * Reads `next` (the start of the session's next prompt) into its sequence without generating, then saves the
   * state under `node`. Queued behind the model's work, so a caller need not wait for it, and giving way to calls
   * queued after it. Returns the file (null when this model saves no states) and the tokens read.
   */
  keepState(session: string, node: number, next: Conversation, key?: string): Promise<KeptState> {
    // Reading ahead stops early when real work is waiting; the state saved then covers what was read.
    return this.#enqueue(() => {
      const rendered = this.#render(next);
      const tokens = rendered.slice(0, this.contextSize - 1);
      const prompt = key === undefined ? undefined : { key, conversation: next, tokens: rendered };
      return this.#sessions.keep(session, node, tokens, () => this.#waiting > 0, prompt);
    });
  }

  /** The prompt the saved state of `node` was read ahead for, with the key its caller gave (see keepState). */
  savedPrompt(session: string, node: number): SavedPrompt | null {
    const saved = this.#sessions.savedPrompt(session, node);
    // Saved with its tokens: continuing with it reads them instead of tokenizing the prompt again (milliseconds on a large vocabulary).
    if (saved?.tokens) this.#rendered.prime(saved.conversation, saved.tokens as Token[]);
    return saved;
  }

  /** Frees the session's sequence and deletes its saved states (after any save still queued for it). */
  forgetSession(session: string): Promise<void> {
    return this.#enqueue(async () => this.#sessions.forget(session));
  }

  async #run(sequence: LlamaContextSequence, rendered: Token[], options: GenerateOptions, grammar: LlamaGrammarEvaluationState | null): Promise<Generation> {
    const cancelled = () => new NativeError('CANCELLED', 'Writing was stopped.');
    if (options.signal?.aborted) throw cancelled();
    const tokens = this.#reuseHeld(sequence, rendered, options.maxTokens);
    const room = this.contextSize - tokens.length;
    if (room < 1) {
      throw new NativeError('GENERATION_FAILED', `The prompt has ${tokens.length} tokens; the context holds ${this.contextSize}.`);
    }
    const started = performance.now();
    try {
      // Keep what the sequence already holds of this prompt; at least the last token must be evaluated anew.
      const keep = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
      if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);

      const maxTokens = Math.min(options.maxTokens, room);
      const sampling = {
        temperature: options.temperature ?? 0.8,
        topK: options.topK ?? 40,
        topP: options.topP ?? 0.95,
        minP: options.minP ?? 0.05,
        seed: options.seed,
      };
      // Our sampler draws free text that is scored or must avoid phrases (a JSON call keeps llama.cpp's own).
      const ownSampler = grammar === null && (options.scoreTokens === true || (options.avoid?.length ?? 0) > 0);
      const guard = ownSampler && options.avoid?.length ? new PhraseGuard(options.avoid) : null;
      const scorer = ownSampler ? this.#generationScorer(sampling, options, guard) : null;
      const stream = new TextStream(options.stopStrings ?? []);
      const evaluate = (input: Token[]): AsyncIterable<Token> =>
        scorer
          ? scorer.evaluate(sequence, input)
          : sequence.evaluate(input, {
              ...sampling,
              dryRepeatPenalty: options.dry ? { strength: options.dry.strength, base: options.dry.base, allowedLength: options.dry.allowedLength } : undefined,
              grammarEvaluationState: grammar ?? undefined,
            });
      const { generated, stopReason } = await drawTokens(
        { model: this.#model, sequence, prompt: tokens, evaluate, scorer, guard, stream },
        tokens.slice(keep),
        { maxTokens, signal: options.signal, onText: options.onText },
      );
      if (options.signal?.aborted) throw cancelled();
      const rest = stream.finish();
      if (rest.delta) options.onText?.(rest.delta);
      return {
        text: rest.text,
        stopReason,
        promptTokens: tokens.length,
        evaluatedTokens: tokens.length - keep,
        generatedTokens: generated.length,
        milliseconds: performance.now() - started,
        ...(guard && guard.rewinds > 0 ? { avoidedPhrases: guard.rewinds } : {}),
        ...(scorer && options.scoreTokens === true ? { score: scorer.score(rest.text) } : {}),
      };
    } catch (error) {
      if (error instanceof NativeError) throw error;
      if (options.signal?.aborted) throw cancelled();
      const reason = error instanceof Error ? error.message : String(error);
      throw new NativeError('GENERATION_FAILED', reason, { cause: error });
    }
  }

  /**
   * The prompt spelled with the sequence's own tokens where they hold the same text (see reuseHeldTokens), unless
   * that leaves less room to generate than the prompt as rendered.
   */
  #reuseHeld(sequence: LlamaContextSequence, rendered: Token[], maxTokens: number): Token[] {
    const reused = reuseHeldTokens(this.#model, sequence.contextTokens, rendered);
    const room = (prompt: Token[]) => Math.min(maxTokens, this.contextSize - prompt.length);
    return room(reused) >= room(rendered) ? reused : rendered;
  }

  async dispose(): Promise<void> {
    await this.#queue;
    this.#sessions.dispose();
    await this.#context.dispose();
    await this.#model.dispose();
  }
}

function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
