import { isRepetitive } from '../memory/isRepetitive.js';
import { ngramOverlap } from '../memory/ngramOverlap.js';
import type { Budgets } from './budgets.js';
import type { CallMeter } from './CallMeter.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { COMPLETION_STOPS } from './passagePrompt.js';
import type { Conversation, TextModel } from './TextModel.js';
import { trimToSentence } from './trimToSentence.js';

export interface PassageOptions {
  recent: string[];
  onText?: (text: string) => void;
  /** Called when the first attempt repeated recent text and is being written again (the UI clears it). */
  onRestart?: () => void;
  signal?: AbortSignal;
}

/**
 * Writes the passage as free text, streamed. If it repeats recent passages (n-gram overlap over the threshold)
 * it is written once more with another seed and a stronger DRY penalty, and the less repetitive one is kept.
 */
export async function writePassage(
  model: TextModel,
  conversation: Conversation,
  settings: GenerationSettings,
  budgets: Budgets,
  meter: CallMeter,
  options: PassageOptions,
): Promise<string> {
  const attempt = async (round: number) => {
    const generation = await model.generate(conversation, {
      maxTokens: budgets.passageTokens,
      temperature: settings.temperature,
      topP: settings.topP,
      topK: settings.topK,
      minP: settings.minP,
      seed: settings.seed === undefined ? undefined : settings.seed + 7 * round,
      dry: settings.dryStrength > 0 ? { strength: settings.dryStrength * (1 + round), base: 1.75, allowedLength: 2 } : null,
      stopStrings: model.format === 'completion' ? COMPLETION_STOPS : undefined,
      onText: options.onText,
      signal: options.signal,
    });
    meter.add(generation);
    const text = generation.text.trim();
    return generation.stopReason === 'length' ? trimToSentence(text) : text;
  };

  const first = await attempt(0);
  if (!isRepetitive(first, options.recent, { threshold: settings.repetitionThreshold })) return first;
  meter.regenerated = true;
  options.onRestart?.();
  const second = await attempt(1);
  if (second.length === 0) return first;
  return ngramOverlap(second, options.recent) <= ngramOverlap(first, options.recent) ? second : first;
}
