import type { Plan } from '../contract/index.js';
import { systemPromptFor } from './passagePrompt.js';
import type { TextModel } from './TextModel.js';

const CHOICE_SCHEMA = { type: 'object', properties: { choice: { enum: [1, 2, 3] } }, required: ['choice'] };

/**
 * Auto mode's reader: a tiny grammar-constrained call that can only answer 1, 2 or 3. Anything unusable falls
 * back to the first plan, so an unattended run never stalls on it.
 */
export async function chooseNextPlan(
  model: TextModel,
  memory: string,
  plans: Plan[],
  options: { seed?: number; signal?: AbortSignal } = {},
): Promise<{ choice: 1 | 2 | 3; promptTokens: number; evaluatedTokens: number }> {
  const listed = plans.map((p, i) => `${i + 1}. ${p.text}`).join('\n');
  const user = `## The story so far\n${memory}\n\n## Possible continuations\n${listed}\n\nWhich continuation makes the most interesting next passage? Answer in JSON.`;
  const generation = await model.generateJson({ system: systemPromptFor(model), turns: [{ user, answer: '' }] }, CHOICE_SCHEMA, {
    maxTokens: 16,
    temperature: 0.7,
    seed: options.seed,
    signal: options.signal,
  });
  const choice = (generation.value as { choice?: unknown } | undefined)?.choice;
  return {
    choice: choice === 2 || choice === 3 ? choice : 1,
    promptTokens: generation.promptTokens,
    evaluatedTokens: generation.evaluatedTokens,
  };
}
