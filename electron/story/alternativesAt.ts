import { planBudgets } from './budgets.js';
import { continuing } from './continuing.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { passagePrompt } from './passagePrompt.js';
import type { StepContext } from './StepContext.js';
import type { TextModel, TokenCandidate } from './TextModel.js';

/** How many alternatives a reader is shown: enough to choose from, few enough to read at a glance. */
export const ALTERNATIVES = 8;

/**
 * What the model could write after `before` (the start of a passage) in the passage prompt of `context`: the same
 * prompt a step from there reads, so the probabilities are those it wrote the passage with, as long as the story
 * before it has not changed since.
 */
export function alternativesAt(
  model: TextModel,
  context: StepContext,
  settings: GenerationSettings,
  before: string,
  signal?: AbortSignal,
): Promise<TokenCandidate[]> {
  const { conversation } = passagePrompt(model, context, planBudgets(model, settings));
  return model.nextTokens(continuing(conversation, before), ALTERNATIVES, { signal });
}
