import { z } from 'zod';

export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const StorySummary = z.object({
  id: Id,
  title: z.string(),
  premise: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  passageCount: z.number().int().nonnegative(),
  wordCount: z.number().int().nonnegative(),
});
export type StorySummary = z.infer<typeof StorySummary>;

export const StoryNode = z.object({
  id: Id,
  parentId: Id.nullable(),
  passage: z.string(),
  createdAt: z.number(),
});
export type StoryNode = z.infer<typeof StoryNode>;

/** A story as the reader sees it: the path from the root to the current node. */
export const StoryView = z.object({
  story: StorySummary,
  currentNodeId: Id,
  path: z.array(StoryNode),
});
export type StoryView = z.infer<typeof StoryView>;

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
});
export type EngineStatus = z.infer<typeof EngineStatus>;

export const Premise = z
  .string()
  .trim()
  .min(1, 'The premise is empty.')
  .max(20_000, 'The premise is longer than 20,000 characters.');

export const NewStory = z.object({
  premise: Premise,
  title: z.string().trim().max(200).optional(),
});
export type NewStory = z.infer<typeof NewStory>;
