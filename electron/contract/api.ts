import { z } from 'zod';
import { EngineStatus, Id, NewStory, StorySummary, StoryView } from './model.js';

/** A streamed event belonging to one call. */
export const CallEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), text: z.string() }),
  z.object({ kind: z.literal('phase'), phase: z.enum(['loading-model', 'writing', 'saving']) }),
]);
export type CallEvent = z.infer<typeof CallEvent>;

/**
 * The API: every method with the schema of its params and of its result. The engine validates params against
 * these before any handler runs; types on both sides are derived from here, so they cannot drift.
 */
export const methods = {
  'engine.status': { params: z.object({}).strict(), result: EngineStatus },
  'model.open': { params: z.object({ path: z.string().trim().min(1).max(4096) }).strict(), result: EngineStatus },
  'stories.list': { params: z.object({}).strict(), result: z.array(StorySummary) },
  'stories.create': { params: NewStory.strict(), result: StoryView },
  'stories.open': { params: z.object({ storyId: Id }).strict(), result: StoryView },
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

export function isMethodName(value: string): value is MethodName {
  return Object.hasOwn(methods, value);
}
