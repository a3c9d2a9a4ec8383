import { z } from 'zod';
import { DownloadedModel, DownloadRequest, ModelListing } from './models.js';
import { CheckQuestion, ContinuityCheck, EngineStatus, SavedCheck, StoryFromText, Fact, FactSuggestion, Id, MemoryKind, NewStory, StepInput, StoryNode, StorySummary, StoryView, TextSurprisal } from './model.js';
import { AvoidPhrases, EngineSettingsPatch, SettingsView, StorySettingsView } from './settings.js';

/** A streamed event belonging to one call. */
export const CallEvent = z.discriminatedUnion('kind', [
  /**
   * `sentAt`: when the token left the engine, in epoch milliseconds (performance.timeOrigin + performance.now()),
   * so the UI bench can measure token-to-paint on one machine.
   */
  z.object({ kind: z.literal('token'), text: z.string(), sentAt: z.number().optional() }),
  /** One kept check finished (checks.run), before the others: what was checked is shown even if the rest are stopped. */
  z.object({ kind: z.literal('checked'), id: Id, check: ContinuityCheck }),
  /** Discard the text streamed so far: the passage is being written again. */
  z.object({ kind: z.literal('restart') }),
  z.object({ kind: z.literal('phase'), phase: z.enum(['loading-model', 'planning', 'writing', 'remembering', 'saving']) }),
  /** Auto mode: progress toward the target after each committed passage. */
  z.object({
    kind: z.literal('progress'),
    passages: z.number().int().nonnegative(),
    words: z.number().int().nonnegative(),
    targetPassages: z.number().int().positive().nullable(),
    targetWords: z.number().int().positive().nullable(),
    secondsLeft: z.number().nonnegative().nullable(),
    node: StoryNode,
  }),
  /** models.download: bytes so far of the announced total (0 when the server did not say). */
  z.object({
    kind: z.literal('download'),
    downloadedBytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
    bytesPerSecond: z.number().nonnegative(),
    secondsLeft: z.number().nonnegative().nullable(),
  }),
]);
export type CallEvent = z.infer<typeof CallEvent>;

const StoryRef = { storyId: Id };
const NodeRef = { storyId: Id, nodeId: Id };
const EntryRef = { storyId: Id, nodeId: Id.optional(), entryId: z.string().min(1).max(64) };
/** Return only the last `window` nodes of the path (see StoryView). */
const Window = { window: z.number().int().positive().max(100_000).optional() };
/** A character offset in a passage. */
const Offset = z.number().int().nonnegative().max(1_000_000);
/** A token the model could write next, as it reads in place, and its probability. */
export const TokenCandidate = z.object({ text: z.string(), probability: z.number().min(0).max(1) });
export type TokenCandidate = z.infer<typeof TokenCandidate>;
const MemoryText = z.string().trim().min(1, 'The memory text is empty.').max(2000, 'The memory text is longer than 2,000 characters.');

export const PromptPreview = z.object({
  /** Exactly the text the model will read, template aside. */
  text: z.string(),
  tokens: z.number().int().nonnegative(),
  budget: z.number().int().nonnegative(),
  sections: z.array(
    z.object({ id: z.string(), title: z.string(), tokens: z.number().int().nonnegative(), droppedItems: z.number().int().nonnegative(), cut: z.boolean() }),
  ),
});
export type PromptPreview = z.infer<typeof PromptPreview>;

export const AutoTarget = z.union([
  z.object({ passages: z.number().int().min(1).max(10_000) }).strict(),
  z.object({ words: z.number().int().min(1).max(2_000_000) }).strict(),
]);
export type AutoTarget = z.infer<typeof AutoTarget>;

/** One node of a story's tree, without its text or state: enough to draw the story map. */
export const TreeNode = z.object({
  id: Id,
  parentId: Id.nullable(),
  /** Position among siblings (retries), from 0. */
  siblingIndex: z.number().int().nonnegative(),
  /** The first words of the passage. */
  label: z.string().optional(),
});
export type TreeNode = z.infer<typeof TreeNode>;

/**
 * The API: every method with the schema of its params and of its result. The engine validates params against
 * these before any handler runs; types on both sides are derived from here, so they cannot drift.
 */
export const methods = {
  'engine.status': { params: z.object({}).strict(), result: EngineStatus },
  'model.open': { params: z.object({ path: z.string().trim().min(1).max(4096) }).strict(), result: EngineStatus },
  /** The catalog with a fit estimate for this machine, the models folder's GGUF files, and the configured model. */
  'models.list': { params: z.object({}).strict(), result: ModelListing },
  /**
   * Downloads a catalog model (by id) or any model URI into the models folder, with `download` events. Cancelling
   * keeps what arrived: the same request later resumes it. The file is checked (size, GGUF) before it is kept.
   */
  'models.download': { params: DownloadRequest, result: DownloadedModel },
  'stories.list': { params: z.object({}).strict(), result: z.array(StorySummary) },
  'stories.create': { params: NewStory.strict(), result: StoryView },
  'stories.open': { params: z.object({ ...StoryRef, nodeId: Id.optional(), ...Window }).strict(), result: StoryView },
  'stories.rename': { params: z.object({ ...StoryRef, title: z.string().trim().min(1).max(200), ...Window }).strict(), result: StoryView },
  /** Write the next passage after `fromNodeId` (default: the current node). */
  'stories.step': { params: z.object({ ...StoryRef, fromNodeId: Id.optional(), input: StepInput, ...Window }).strict(), result: StoryView },
  /** Write `nodeId` again from the same instruction: a new sibling. */
  'stories.retry': { params: z.object({ ...NodeRef, ...Window }).strict(), result: StoryView },
  /**
   * What else the model might have written at `offset` of the passage (where one of its tokens starts): its
   * likeliest next tokens there, best first, with their probabilities, in the prompt the passage is written from.
   */
  'nodes.alternatives': {
    params: z.object({ ...NodeRef, offset: Offset }).strict(),
    result: z.object({ nodeId: Id, offset: Offset, candidates: z.array(TokenCandidate) }),
  },
  /** A new sibling of `nodeId`: its passage up to `offset`, then `text`, and the model writes on from there. */
  'nodes.rewriteFrom': {
    params: z
      .object({ ...NodeRef, offset: Offset, text: z.string().min(1, 'Say what to write there.').max(200, 'Keep the new words under 200 characters.'), ...Window })
      .strict(),
    result: StoryView,
  },
  'stories.undo': { params: z.object({ ...StoryRef, ...Window }).strict(), result: StoryView },
  'stories.redo': { params: z.object({ ...StoryRef, ...Window }).strict(), result: StoryView },
  'stories.checkout': { params: z.object({ ...NodeRef, ...Window }).strict(), result: StoryView },
  /** Nodes `start` to `end` (exclusive, at most 1,000) of the path from the first passage to `nodeId`. */
  'stories.path': {
    params: z
      .object({ ...NodeRef, start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
      .strict()
      .refine((p) => p.end >= p.start && p.end - p.start <= 1000, 'Ask for at most 1,000 nodes, with end ≥ start.'),
    result: z.object({ start: z.number().int().nonnegative(), nodes: z.array(StoryNode) }),
  },
  /** The skeleton of the whole tree (every branch), in id order: parents come before their children. */
  'stories.tree': { params: z.object(StoryRef).strict(), result: z.array(TreeNode) },
  'stories.auto': { params: z.object({ ...StoryRef, target: AutoTarget, ...Window }).strict(), result: StoryView },
  /** Ask a running auto call on this story to stop after the passage it is writing. */
  'stories.pause': { params: z.object(StoryRef).strict(), result: z.object({ paused: z.boolean() }) },
  'nodes.editPassage': {
    params: z.object({ ...NodeRef, passage: z.string().trim().min(1, 'The passage is empty.').max(100_000), ...Window }).strict(),
    result: StoryView,
  },
  'nodes.editMemory': {
    params: z
      .object({
        ...NodeRef,
        shortMemory: z.string().max(20_000).optional(),
        plans: z.array(z.object({ label: z.string().trim().max(200), text: z.string().trim().min(1).max(4000) })).length(3).optional(),
        ...Window,
      })
      .strict(),
    result: StoryView,
  },
  /** Recompute memory and plans of `nodeId` and its descendants on the current path, after an edit. */
  'nodes.recompute': { params: z.object({ ...NodeRef, ...Window }).strict(), result: StoryView },
  /**
   * The heatmap of one passage: each token with its surprisal (−ln p, nats), joined they are the passage. Empty
   * until the passage is scored again after an edit (nodes.recompute). Kept out of StoryNode so that opening a
   * long story stays light: ask for the passages on screen.
   */
  'nodes.tokens': { params: z.object(NodeRef).strict(), result: TextSurprisal.extend({ nodeId: Id }) },
  /**
   * The surprisal memory ("Details to remember") of `nodeId`, by default the current node. Changes rewrite that
   * node's memory in place (like nodes.editMemory): the next step from it reads them, nodes already written from
   * it keep their own snapshot, recompute keeps what the user pinned or added. Each returns the current view.
   */
  'memory.add': {
    params: z
      .object({ ...StoryRef, nodeId: Id.optional(), text: MemoryText, kind: MemoryKind.optional(), pinned: z.boolean().optional(), ...Window })
      .strict(),
    result: StoryView,
  },
  /** Pin or unpin (a pinned entry never decays and is never evicted), rewrite, or change the kind of an entry. */
  'memory.edit': {
    params: z
      .object({ ...EntryRef, text: MemoryText.optional(), kind: MemoryKind.optional(), pinned: z.boolean().optional(), ...Window })
      .strict(),
    result: StoryView,
  },
  'memory.forget': { params: z.object({ ...EntryRef, ...Window }).strict(), result: StoryView },
  /** Surprisal of each token of `text` after the model's BOS and `context`: where a draft surprises the model. */
  'model.score': {
    params: z.object({ text: z.string().max(20_000), context: z.string().max(20_000).optional() }).strict(),
    result: TextSurprisal,
  },
  'facts.list': { params: z.object(StoryRef).strict(), result: z.array(Fact) },
  /** With `fromNodeId`, the fact holds from that passage on, on its branch only; without, for the whole story. */
  'facts.add': { params: z.object({ ...StoryRef, text: z.string().trim().min(1).max(2000), fromNodeId: Id.optional() }).strict(), result: z.array(Fact) },
  'facts.edit': { params: z.object({ ...StoryRef, factId: Id, text: z.string().trim().min(1).max(2000) }).strict(), result: z.array(Fact) },
  'facts.remove': { params: z.object({ ...StoryRef, factId: Id }).strict(), result: z.array(Fact) },
  /**
   * Puts a question to the story at `nodeId` (default: the current passage) and at up to `points` passages spread
   * along its path (default 1: that one only), and measures the answer the author expects (see ContinuityCheck).
   */
  'stories.checkContinuity': {
    params: z
      .object({
        ...StoryRef,
        nodeId: Id.optional(),
        ...CheckQuestion,
        points: z.number().int().min(1).max(12).optional(),
      })
      .strict(),
    result: ContinuityCheck,
  },
  /** The continuity checks kept with the story, in the order they were saved. */
  'checks.list': { params: z.object(StoryRef).strict(), result: z.array(SavedCheck) },
  /** Keeps a check with the story (the same question and answer are kept once); returns them all. */
  'checks.save': { params: z.object({ ...StoryRef, ...CheckQuestion }).strict(), result: z.array(SavedCheck) },
  'checks.forget': { params: z.object({ ...StoryRef, checkId: Id }).strict(), result: z.array(SavedCheck) },
  /** Puts every saved check to the story at `nodeId` (default: the current passage), one after another; cancellable. */
  'checks.run': {
    params: z.object({ ...StoryRef, nodeId: Id.optional() }).strict(),
    result: z.array(z.object({ id: Id, check: ContinuityCheck })),
  },
  /** Names that recur on the path to `nodeId` (default: the current passage) and are in no pinned fact yet. */
  'facts.suggest': { params: z.object({ ...StoryRef, nodeId: Id.optional() }).strict(), result: z.array(FactSuggestion) },
  /** Moves a story to the trash (purged after 30 days); returns the library. */
  'stories.delete': { params: z.object(StoryRef).strict(), result: z.array(StorySummary) },
  'stories.trash': { params: z.object({}).strict(), result: z.array(StorySummary) },
  'stories.restore': { params: z.object(StoryRef).strict(), result: StoryView },
  /** Deletes a story in the trash for good; returns what remains in the trash. */
  'stories.purge': { params: z.object(StoryRef).strict(), result: z.array(StorySummary) },
  'stories.duplicate': { params: z.object(StoryRef).strict(), result: StoryView },
  /** Deletes a passage and its branch; never the first passage or one on the way to the current one. */
  'nodes.delete': { params: z.object({ ...NodeRef, ...Window }).strict(), result: StoryView },
  'stories.export': {
    params: z.object({ ...StoryRef, format: z.enum(['json', 'md', 'html', 'epub', 'twee']) }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.string(), base64: z.string() }),
  },
  /** A lossless JSON export, as text; validated whole before anything is written. */
  /**
   * A story from the author's own text: cut into passages (paragraphs joined up to the passage length, a new
   * passage at each heading), then read in order to build each passage's memory, summary and plans, with progress
   * after each. Stopped, it keeps what was read; the passages not read yet are stale (nodes.recompute reads them).
   */
  'stories.fromText': { params: StoryFromText.strict(), result: StoryView },
  'stories.import': { params: z.object({ text: z.string().min(1) }).strict(), result: StoryView },
  /** What the model would read for the next step from `fromNodeId` (default: current), without writing. */
  'prompt.preview': { params: z.object({ ...StoryRef, fromNodeId: Id.optional(), input: StepInput.optional() }).strict(), result: PromptPreview },
  /** The prompt the passage of `nodeId` is written from, as its parent's state builds it now: what the model read. */
  'prompt.writtenFrom': { params: z.object(NodeRef).strict(), result: PromptPreview },
  /** The generation settings the next step uses, their defaults and bounds (see settings.ts). */
  'settings.get': { params: z.object({}).strict(), result: SettingsView },
  /** Changes some settings; they are saved and take effect from the next step. Out-of-range values are refused. */
  'settings.update': { params: EngineSettingsPatch, result: SettingsView },
  /** Back to the defaults (forgetting what was saved). */
  'settings.reset': { params: z.object({}).strict(), result: SettingsView },
  /** Replaces the phrases no passage of any story may contain (saved; from the next passage on). */
  'settings.setAvoid': { params: z.object({ phrases: AvoidPhrases }).strict(), result: SettingsView },
  /** A story's settings: its own values over the app's (which it follows for every key it does not set). */
  'stories.settings': { params: z.object(StoryRef).strict(), result: StorySettingsView },
  /** Replaces the story's own values (saved; from its next step on); {} makes it follow the app's settings again. */
  'stories.setSettings': { params: z.object({ ...StoryRef, own: EngineSettingsPatch }).strict(), result: StorySettingsView },
  /** Replaces the phrases this story's passages may not contain, besides the app's. */
  'stories.setAvoid': { params: z.object({ ...StoryRef, phrases: AvoidPhrases }).strict(), result: StorySettingsView },
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

export function isMethodName(value: string): value is MethodName {
  return Object.hasOwn(methods, value);
}
