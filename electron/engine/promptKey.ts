import { createHash } from 'node:crypto';
import type { Budgets } from '../story/budgets.js';
import type { StepContext } from '../story/StepContext.js';
import type { TextModel } from '../story/TextModel.js';

/**
 * A digest of everything a passage prompt is built from: the step's context (story, facts, the node's state,
 * the passages retrieved, the instruction), the budgets, and the model's identity as the prompt sees it (name,
 * context size, format). Two contexts with one key build one prompt, so a prompt saved under a key can stand in
 * for building it again (see StoryStates.savedPrompt).
 */
export function promptKey(context: StepContext, budgets: Budgets, model: TextModel): string {
  const { embedder: _embedder, ...inputs } = context;
  const identity = { name: model.name, contextSize: model.contextSize, format: model.format };
  return createHash('sha256').update(JSON.stringify({ version: 2, inputs, budgets, identity })).digest('hex');
}
