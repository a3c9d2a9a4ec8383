import { z } from 'zod';
import { EngineSettingsPatch, RecordedSettings } from './settings.js';

export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const StorySummary = z.object({
  id: Id,
  title: z.string(),
  premise: z.string(),
  genre: z.string(),
  style: z.string(),
  /** The chapter outline written at the opening; the author may edit it. */
  outline: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  passageCount: z.number().int().nonnegative(),
  wordCount: z.number().int().nonnegative(),
});
export type StorySummary = z.infer<typeof StorySummary>;

/** One of the three ways forward offered after each passage: a short reader-facing label and the plan itself. */
export const Plan = z.object({ label: z.string(), text: z.string() });
export type Plan = z.infer<typeof Plan>;

/** What a passage was written from. */
export const Instruction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opening') }),
  z.object({ kind: z.literal('choice'), choice: z.number().int().min(1).max(3), text: z.string() }),
  z.object({ kind: z.literal('plan'), text: z.string() }),
  z.object({ kind: z.literal('action'), text: z.string() }),
]);
export type Instruction = z.infer<typeof Instruction>;

export const MemoryKind = z.enum(['canon', 'plot', 'chatter', 'user']);
export type MemoryKind = z.infer<typeof MemoryKind>;

/**
 * An entry of the surprisal memory (SirLLM at the level of text): a sentence or clause that surprised the model,
 * or a detail the user added. Kinds decay at different rates (canon never, plot slowly, chatter fast; user: the
 * reader's own words). Fields added after the first release have defaults, so older stored rows still read.
 */
export const MemoryEntry = z.object({
  /** Names the entry in API calls; unique within a node's memory. */
  id: z.string().max(64).default(''),
  text: z.string(),
  kind: MemoryKind,
  /** Current score: starts at the span's z-score, decays each turn, comes back to `base` when mentioned again. */
  score: z.number(),
  /** The score it entered (or was last merged) with. */
  base: z.number().default(0),
  /** Turn (depth of the node in the story, from 0) it was added at, and last added to or mentioned at. */
  turnAdded: z.number().int().nonnegative().default(0),
  lastSeen: z.number().int().nonnegative().default(0),
  /** Pinned by the user: never decays, never evicted. */
  pinned: z.boolean(),
  /** The node whose passage or instruction it came from; null when the user wrote it. */
  sourceNode: Id.nullable().default(null),
  /** Characters of that node's passage it was taken from; null for the instruction, user entries, or edited text. */
  offsets: z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).nullable().default(null),
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

/** One token of a scored text with its surprisal −ln p(token | everything before it), in nats. */
export const TokenSurprisal = z.object({ text: z.string(), surprisal: z.number().nonnegative() });
export type TokenSurprisal = z.infer<typeof TokenSurprisal>;

/** Per-token surprisal of a text (a passage for the heatmap, or a draft): the tokens join into the text exactly. */
export const TextSurprisal = z.object({
  tokens: z.array(TokenSurprisal),
  /** Mean over the tokens; null when there are none. */
  meanSurprisal: z.number().nullable(),
});
export type TextSurprisal = z.infer<typeof TextSurprisal>;

export const NodeStats = z.object({
  /** Prompt tokens over all the model calls of this node. */
  promptTokens: z.number().int().nonnegative(),
  /** Prompt tokens the model actually had to read; the rest came from the KV cache. */
  evaluatedTokens: z.number().int().nonnegative(),
  generatedTokens: z.number().int().nonnegative(),
  milliseconds: z.number().nonnegative(),
  /** Structured-output attempts beyond the first, and whether the fallback was used. */
  retries: z.number().int().nonnegative(),
  fallback: z.boolean(),
  /** The passage was regenerated once because it repeated recent text. */
  regenerated: z.boolean(),
  /** Time spent scoring surprisal (passage and the user's own text), included in `milliseconds`. */
  scoringMs: z.number().nonnegative().default(0),
  /** Times the model went back to avoid a phrase while writing the passage (absent: none). */
  avoidedPhrases: z.number().int().nonnegative().optional(),
  /** The generation settings the passage was written with (absent on nodes written before they were recorded). */
  settings: RecordedSettings.optional(),
});
export type NodeStats = z.infer<typeof NodeStats>;

export const StoryNode = z.object({
  id: Id,
  parentId: Id.nullable(),
  /** Position among siblings (retries), from 0, and how many siblings there are. */
  siblingIndex: z.number().int().nonnegative(),
  siblingCount: z.number().int().positive(),
  passage: z.string(),
  summary: z.string(),
  instruction: Instruction,
  shortMemory: z.string(),
  plans: z.array(Plan),
  keyMemory: z.array(MemoryEntry),
  stats: NodeStats,
  /** An ancestor's passage was edited after this node's memory was computed. */
  stale: z.boolean(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
});
export type StoryNode = z.infer<typeof StoryNode>;

/**
 * A story as the reader sees it: the path from the root to the current node. Asked with a `window`, `path` holds
 * only the last nodes of it and `pathStart` is the position of the first of them in the whole path (absent: 0);
 * the rest comes from stories.path as the reader scrolls back, so a long story opens light.
 */
export const StoryView = z.object({
  story: StorySummary,
  currentNodeId: Id,
  path: z.array(StoryNode),
  pathStart: z.number().int().nonnegative().optional(),
});
export type StoryView = z.infer<typeof StoryView>;

/**
 * A pinned fact of the story bible. `from`: null when it holds for the whole story; else it holds from that passage
 * on, on its branch (position: its § number). `applies`: whether the next passage from the current one reads it.
 */
export const Fact = z.object({
  id: Id,
  text: z.string(),
  from: z.object({ nodeId: Id, position: z.number().int().positive() }).nullable(),
  applies: z.boolean(),
});
export type Fact = z.infer<typeof Fact>;

/** A name that keeps coming up in the story and is in no pinned fact yet (see suggestFacts). */
export const FactSuggestion = z.object({
  /** The name as first written. */
  name: z.string(),
  /** A fact to pin, for the author to reword: the sentence that brought the name in. */
  text: z.string(),
  /** Passages of the path (its last SUGGESTION_WINDOW) that mention it. */
  passages: z.number().int().positive(),
  /** The passage that brought it in. */
  nodeId: Id,
  /** −ln p of the name where it first appeared, in nats; null when that passage has no heatmap. */
  surprisal: z.number().nonnegative().nullable(),
});
export type FactSuggestion = z.infer<typeof FactSuggestion>;

/**
 * A continuity check: how likely the model finds an answer the author expects to a question about the story, with
 * the story's memory at a passage against the bible alone. Surprisals are −ln p of the whole answer, in nats.
 */
export const ContinuityCheck = z.object({
  question: z.string(),
  answer: z.string(),
  answerTokens: z.number().int().nonnegative(),
  /** From the style, bible (premise and pinned facts) and outline alone: what the story knows without its memory. */
  baselineNats: z.number().nonnegative(),
  /** With the memory at each passage checked, in story order; the last is the passage asked about. */
  points: z.array(z.object({ nodeId: Id, position: z.number().int().positive(), nats: z.number().nonnegative() })).min(1),
  /** What the model answers at the passage asked about, in its own words (its likeliest, one line). */
  reply: z.string(),
});
export type ContinuityCheck = z.infer<typeof ContinuityCheck>;

/** A continuity check's question about the story and the answer the author expects. */
export const CheckQuestion = {
  question: z.string().trim().min(1, 'The question is empty.').max(500, 'The question is longer than 500 characters.'),
  answer: z.string().trim().min(1, 'The expected answer is empty.').max(200, 'The expected answer is longer than 200 characters.'),
};

/** A continuity check kept with its story, to put to it again as it grows. */
export const SavedCheck = z.object({ id: Id, ...CheckQuestion });
export type SavedCheck = z.infer<typeof SavedCheck>;

export const ModelStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('configured'), path: z.string() }),
  z.object({ state: z.literal('loading'), path: z.string() }),
  z.object({ state: z.literal('ready'), path: z.string(), name: z.string(), contextSize: z.number() }),
  z.object({ state: z.literal('error'), path: z.string(), code: z.string(), message: z.string() }),
]);
export type ModelStatus = z.infer<typeof ModelStatus>;

export const EngineStatus = z.object({
  version: z.string(),
  model: ModelStatus,
  dbPath: z.string(),
  /** The llama.cpp backend once it has started; `fallbackReason` says why a GPU is not used, for the UI to show. */
  hardware: z.object({ backend: z.string(), fallbackReason: z.string().nullable() }).optional(),
  /** The embedding model configured for long-term retrieval (a path, catalog id or hf: URI); absent: keywords only. */
  embeddingModel: z.string().optional(),
  /** Why the embedding model is not in use (its load failed): retrieval is keyword-only until it loads. */
  embeddingError: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type EngineStatus = z.infer<typeof EngineStatus>;

const MAX_PREMISE = 20_000;
export const Premise = z
  .string()
  .trim()
  .min(1, 'The premise is empty.')
  .max(MAX_PREMISE, 'The premise is longer than 20,000 characters.');

const ShortText = (what: string, max: number) => z.string().trim().max(max, `${what} is longer than ${max} characters.`);

export const NewStory = z.object({
  premise: Premise,
  title: ShortText('The title', 200).optional(),
  genre: ShortText('The genre', 200).optional(),
  style: ShortText('The style', 2000).optional(),
  /** Settings of the story's own from the start (the opening is written with them too); see stories.setSettings. */
  settings: EngineSettingsPatch.optional(),
});
export type NewStory = z.infer<typeof NewStory>;

/** A story made of the author's own text, to continue: its passages are cut from `text` (see stories.fromText). */
export const StoryFromText = z.object({
  text: z.string().trim().min(1, 'The text is empty.').max(2_000_000, 'The text is longer than 2,000,000 characters.'),
  /** What the story is about, for the bible; by default the text's first sentences. */
  premise: Premise.optional(),
  title: ShortText('The title', 200).optional(),
  genre: ShortText('The genre', 200).optional(),
  style: ShortText('The style', 2000).optional(),
  settings: EngineSettingsPatch.optional(),
});
export type StoryFromText = z.infer<typeof StoryFromText>;

/** What to write next: one of the three plans, the author's own plan, or the reader's action. */
export const StepInput = z.union([
  z.object({ choice: z.number().int().min(1, 'Choose 1, 2 or 3.').max(3, 'Choose 1, 2 or 3.') }).strict(),
  z.object({ plan: z.string().trim().min(1, 'The plan is empty.').max(4000, 'The plan is longer than 4,000 characters.') }).strict(),
  z.object({ action: z.string().trim().min(1, 'The action is empty.').max(2000, 'The action is longer than 2,000 characters.') }).strict(),
]);
export type StepInput = z.infer<typeof StepInput>;
