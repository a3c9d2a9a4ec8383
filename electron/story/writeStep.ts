import { LongtaleError } from '../contract/index.js';
import { planBudgets } from './budgets.js';
import { CallMeter } from './CallMeter.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { passagePrompt } from './passagePrompt.js';
import type { StepContext } from './StepContext.js';
import type { TextModel } from './TextModel.js';
import { updateMemory } from './updateMemory.js';
import { writePassage } from './writePassage.js';
import type { StepCallbacks, WrittenNode } from './WrittenNode.js';

/**
 * One RecurrentGPT step: the passage (free text, streamed), then the memory update and the next three plans
 * (grammar-constrained, appended to the same conversation). Returns the node to commit; it writes nothing, so
 * a cancelled or failed step leaves no trace.
 */
export async function writeStep(
  model: TextModel,
  context: StepContext,
  settings: GenerationSettings,
  recent: string[],
  callbacks: StepCallbacks = {},
): Promise<WrittenNode> {
  const budgets = planBudgets(model, settings);
  const meter = new CallMeter();
  const prompt = passagePrompt(model, context, budgets);

  callbacks.onPhase?.('writing');
  const passage = await writePassage(model, prompt.conversation, settings, budgets, meter, {
    recent,
    onText: callbacks.onText,
    onRestart: callbacks.onRestart,
    signal: callbacks.signal,
  });
  if (passage.length === 0) throw new LongtaleError('GENERATION_FAILED', 'The model wrote nothing for this passage.');

  callbacks.onPhase?.('remembering');
  const previousMemory = context.previous?.shortMemory ?? context.story.premise;
  const update = await updateMemory(model, prompt.conversation, passage, previousMemory, budgets, meter, {
    seed: settings.seed,
    signal: callbacks.signal,
  });
  return {
    passage,
    summary: update.summary,
    instruction: context.instruction,
    shortMemory: update.memory,
    plans: update.plans,
    keyMemory: context.previous?.keyMemory ?? [],
    stats: meter.stats(),
  };
}

/**
 * Recomputes the memory, summary and plans after a passage that is already written (an author edited it, or an
 * ancestor changed). The passage stays exactly as it is.
 */
export async function rememberPassage(
  model: TextModel,
  context: StepContext,
  passage: string,
  settings: GenerationSettings,
  signal?: AbortSignal,
): Promise<Pick<WrittenNode, 'summary' | 'shortMemory' | 'plans' | 'stats'>> {
  const budgets = planBudgets(model, settings);
  const meter = new CallMeter();
  const prompt = passagePrompt(model, context, budgets);
  const previousMemory = context.previous?.shortMemory ?? context.story.premise;
  const update = await updateMemory(model, prompt.conversation, passage, previousMemory, budgets, meter, {
    seed: settings.seed,
    signal,
  });
  return { summary: update.summary, shortMemory: update.memory, plans: update.plans, stats: meter.stats() };
}
