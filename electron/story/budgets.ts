import { memoryBudget, resolveMemorySettings } from '../memory/surprisal/MemorySettings.js';
import type { GenerationSettings } from './GenerationSettings.js';
import type { TextModel } from './TextModel.js';

/**
 * How a step spends the context: the passage and the structured memory update that follows it; the prompt body
 * gets what is left once the fixed text around it is measured (see passagePrompt).
 */
export interface Budgets {
  passageTokens: number;
  updateTokens: number;
  /** Tokens the surprisal memory may fill (a share of the context, settings.memory.budgetShare). */
  memoryTokens: number;
  /** Longest strings the update may contain, in characters (bounded so the grammar always closes). */
  chars: { memory: number; summary: number; label: number; plan: number; title: number; outline: number };
}

/** The update object with empty strings: what its keys, quotes and brackets cost in tokens. */
const EMPTY_UPDATE = JSON.stringify({ memory: '', summary: '', plans: [0, 1, 2].map(() => ({ label: '', plan: '' })) });
const SAMPLE = 'The old lighthouse keeper climbed the stairs, counting each step as the storm beat against the glass.';

/**
 * Splits the context between prompt, passage and update. The update follows the passage in the same sequence
 * (to reuse the cache), so all three must fit together. String limits follow from the update's token budget
 * through the tokenizer's characters-per-token on ordinary prose, with a safety margin.
 */
export function planBudgets(model: TextModel, settings: GenerationSettings): Budgets {
  const context = model.contextSize;
  const passageTokens = Math.max(16, Math.min(settings.passageTokens, Math.floor(context * 0.22)));
  const updateTokens = Math.max(48, Math.min(900, Math.floor(context * 0.34)));
  const charsPerToken = Math.max(1, SAMPLE.length / Math.max(1, model.countTokens(SAMPLE)));
  // Characters the strings may use: the tokens left after the JSON around them, with a margin for unusual text.
  const structure = model.countTokens(EMPTY_UPDATE) + 4;
  const chars = Math.max(0, Math.floor(((updateTokens - structure) * charsPerToken) / 1.3));
  return {
    passageTokens,
    updateTokens,
    memoryTokens: memoryBudget(context, resolveMemorySettings(settings.memory)),
    chars: {
      memory: Math.max(24, Math.floor(chars * 0.4)),
      summary: Math.max(12, Math.floor(chars * 0.12)),
      label: Math.max(8, Math.min(60, Math.floor(chars * 0.04))),
      plan: Math.max(12, Math.min(400, Math.floor(chars * 0.12))),
      title: Math.max(12, Math.min(80, Math.floor(chars * 0.08))),
      outline: Math.max(24, Math.floor(chars * 0.6)),
    },
  };
}
