import type { NewStory } from '../contract/index.js';
import { planBudgets } from './budgets.js';
import { CallMeter } from './CallMeter.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { openingSchema } from './openingSchema.js';
import { systemPromptFor } from './passagePrompt.js';
import type { StepContext } from './StepContext.js';
import type { TextModel } from './TextModel.js';
import { titleFromPremise } from './titleFromPremise.js';
import { MAX_ATTEMPTS } from './updateMemory.js';
import { writeStep } from './writeStep.js';
import type { StepCallbacks, WrittenNode } from './WrittenNode.js';

export interface Opening {
  title: string;
  outline: string;
  root: WrittenNode;
}

/**
 * A new story from a premise: a title (unless given) and a first-chapter outline in one structured call, then
 * the first passage with its memory and plans, exactly as any later step. Commits nothing.
 */
export async function writeOpening(
  model: TextModel,
  request: NewStory,
  settings: GenerationSettings,
  callbacks: StepCallbacks = {},
): Promise<Opening> {
  const budgets = planBudgets(model, settings);
  const meter = new CallMeter();
  const givenTitle = request.title?.trim() || undefined;
  const planned = await planOpening(model, request, givenTitle === undefined, budgets.chars, meter, callbacks.signal, settings.seed);
  // A model's title that is not clean text (broken bytes, control characters) would sit in every prompt: use the premise.
  const modelTitle = planned.title && !/[\uFFFD\p{Cc}]/u.test(planned.title) ? planned.title : undefined;
  const title = givenTitle ?? modelTitle ?? titleFromPremise(request.premise);

  const context: StepContext = {
    story: { title, premise: request.premise, genre: request.genre ?? '', style: request.style ?? '', outline: planned.outline },
    facts: [],
    previous: null,
    related: [],
    instruction: { kind: 'opening' },
    turn: 0,
  };
  const root = await writeStep(model, context, settings, [], callbacks);
  const planning = meter.stats();
  root.stats = {
    ...root.stats,
    promptTokens: root.stats.promptTokens + planning.promptTokens,
    evaluatedTokens: root.stats.evaluatedTokens + planning.evaluatedTokens,
    generatedTokens: root.stats.generatedTokens + planning.generatedTokens,
    milliseconds: root.stats.milliseconds + planning.milliseconds,
    retries: root.stats.retries + planning.retries,
    scoringMs: root.stats.scoringMs + planning.scoringMs,
  };
  return { title, outline: planned.outline, root };
}

async function planOpening(
  model: TextModel,
  request: NewStory,
  withTitle: boolean,
  chars: ReturnType<typeof planBudgets>['chars'],
  meter: CallMeter,
  signal: AbortSignal | undefined,
  seed: number | undefined,
): Promise<{ title?: string; outline: string }> {
  const lines = [`Premise: ${request.premise}`];
  if (request.genre) lines.push(`Genre: ${request.genre}`);
  if (request.style) lines.push(`Style: ${request.style}`);
  const ask = withTitle ? 'Give the story a title and an outline of its first chapter.' : 'Outline the first chapter of the story.';
  const conversation = { system: systemPromptFor(model), turns: [{ user: `## New story\n${lines.join('\n')}\n\n${ask} Answer in JSON.`, answer: '' }] };
  const schema = openingSchema(chars, withTitle);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) meter.retries += 1;
    const generation = await model.generateJson(conversation, schema, {
      maxTokens: Math.ceil((chars.outline + chars.title) / 2) + 24,
      temperature: 0.7 + 0.1 * attempt,
      seed: seed === undefined ? undefined : seed + 31 * attempt,
      signal,
    });
    meter.add(generation);
    const value = generation.value as { title?: unknown; outline?: unknown } | undefined;
    const outline = typeof value?.outline === 'string' ? value.outline.trim() : '';
    const title = typeof value?.title === 'string' ? value.title.replace(/\s+/gu, ' ').trim() : '';
    if (outline && (!withTitle || title)) return { title: title || undefined, outline };
  }
  // Without an outline the story still starts: the premise alone guides the first passage.
  return { outline: '' };
}
