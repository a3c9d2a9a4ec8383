import type { Budgets } from './budgets.js';
import type { CallMeter } from './CallMeter.js';
import { fallbackUpdate } from './fallbackUpdate.js';
import { updateRequest } from './passagePrompt.js';
import type { Conversation, TextModel } from './TextModel.js';
import { type MemoryUpdate, updateSchema, validateUpdate } from './updateSchema.js';

/** RecurrentGPT's original retried forever; we try three times in all, then fall back. */
export const MAX_ATTEMPTS = 3;

export interface UpdateOptions {
  seed?: number;
  signal?: AbortSignal;
  onAttemptFailed?: (problem: string) => void;
}

/**
 * Rewrites the short-term memory, summarises the passage and proposes three plans, in one grammar-constrained
 * call appended to the passage's own conversation (so the model has just read everything it must summarise, and
 * the KV cache already holds it). Never loops: after MAX_ATTEMPTS the old memory stays and the plans are generic.
 */
export async function updateMemory(
  model: TextModel,
  passageConversation: Conversation,
  passage: string,
  previousMemory: string,
  budgets: Budgets,
  meter: CallMeter,
  options: UpdateOptions = {},
): Promise<MemoryUpdate> {
  const [first] = passageConversation.turns;
  const conversation: Conversation = {
    system: passageConversation.system,
    turns: [
      { user: first?.user ?? '', answer: `${first?.answer ?? ''}${passage}` },
      { user: updateRequest(model, budgets), answer: '' },
    ],
  };
  const schema = updateSchema(budgets.chars);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) meter.retries += 1;
    const generation = await model.generateJson(conversation, schema, {
      maxTokens: budgets.updateTokens,
      // A little warmer on retries, so a second attempt does not repeat the first one's mistake.
      temperature: 0.6 + 0.15 * attempt,
      seed: options.seed === undefined ? undefined : options.seed + 101 * (attempt + 1),
      signal: options.signal,
    });
    meter.add(generation);
    const checked = generation.value === undefined ? { problem: generation.error ?? 'no JSON' } : validateUpdate(generation.value);
    if ('update' in checked) return checked.update;
    options.onAttemptFailed?.(checked.problem);
  }
  meter.fallback = true;
  return fallbackUpdate(previousMemory, passage, budgets.chars.summary);
}
