import { isRepetitive } from '../memory/isRepetitive.js';
import { ngramOverlap } from '../memory/ngramOverlap.js';
import type { Budgets } from './budgets.js';
import type { CallMeter } from './CallMeter.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { COMPLETION_STOPS } from './passagePrompt.js';
import { type PassageScores, scoresForPassage } from './scoresForPassage.js';
import type { Conversation, TextModel } from './TextModel.js';
import { trimToSentence } from './trimToSentence.js';

export interface PassageOptions {
  recent: string[];
  onText?: (text: string) => void;
  /** Called when the first attempt repeated recent text and is being written again (the UI clears it). */
  onRestart?: () => void;
  signal?: AbortSignal;
}

export interface WrittenPassage {
  text: string;
  /** The scores the model recorded while writing it (see scoresForPassage); null when it recorded none. */
  scores: PassageScores | null;
}

/**
 * Writes the passage as free text, streamed, scoring its tokens as they are written. If it repeats recent passages
 * (n-gram overlap over the threshold) it is written once more with another seed and a stronger DRY penalty, and
 * the less repetitive one is kept (with its own scores).
 */
export async function writePassage(
  model: TextModel,
  conversation: Conversation,
  settings: GenerationSettings,
  budgets: Budgets,
  meter: CallMeter,
  options: PassageOptions,
): Promise<WrittenPassage> {
  const attempt = async (round: number): Promise<WrittenPassage> => {
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
      scoreTokens: true,
    });
    meter.add(generation);
    const trimmed = generation.text.trim();
    const text = generation.stopReason === 'length' ? trimToSentence(trimmed) : trimmed;
    return { text, scores: generation.score ? scoresForPassage(generation.text, generation.score, text) : null };
  };

  const first = await attempt(0);
  if (!isRepetitive(first.text, options.recent, { threshold: settings.repetitionThreshold })) return first;
  meter.regenerated = true;
  options.onRestart?.();
  const second = await attempt(1);
  if (second.text.length === 0) return first;
  return ngramOverlap(second.text, options.recent) <= ngramOverlap(first.text, options.recent) ? second : first;
}
