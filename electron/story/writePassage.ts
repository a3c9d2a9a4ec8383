import { isRepetitive } from '../memory/isRepetitive.js';
import { ngramOverlap } from '../memory/ngramOverlap.js';
import type { Budgets } from './budgets.js';
import type { CallMeter } from './CallMeter.js';
import { continuing } from './continuing.js';
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
  /**
   * The passage's fixed beginning, which the model continues (rewriting a passage from a chosen word). Its words
   * were not written here, so the passage comes back unscored and is scored afterwards as a whole.
   */
  begin?: string;
}

export interface WrittenPassage {
  text: string;
  /** The scores the model recorded while writing it (see scoresForPassage); null when it recorded none. */
  scores: PassageScores | null;
}

/**
 * Writes the passage as free text, streamed, scoring its tokens as they are written. If it repeats recent passages
 * (n-gram overlap over the threshold) it is written once more with another seed and a stronger DRY penalty, and
 * the less repetitive one is kept (with its own scores). If it is empty, it is written once more the same way.
 */
export async function writePassage(
  model: TextModel,
  conversation: Conversation,
  settings: GenerationSettings,
  budgets: Budgets,
  meter: CallMeter,
  options: PassageOptions,
): Promise<WrittenPassage> {
  const begin = options.begin ?? '';
  const prompt = begin === '' ? conversation : continuing(conversation, begin);
  // The beginning counts against the passage's length, so the memory update after it still has its room.
  const maxTokens = begin === '' ? budgets.passageTokens : Math.max(16, budgets.passageTokens - model.countTokens(begin));
  const attempt = async (round: number): Promise<WrittenPassage> => {
    if (begin !== '') options.onText?.(begin);
    const generation = await model.generate(prompt, {
      maxTokens,
      temperature: settings.temperature,
      topP: settings.topP,
      topK: settings.topK,
      minP: settings.minP,
      seed: settings.seed === undefined ? undefined : settings.seed + 7 * round,
      dry: settings.dryStrength > 0 ? { strength: settings.dryStrength * (1 + round), base: 1.75, allowedLength: 2 } : null,
      stopStrings: model.format === 'completion' ? COMPLETION_STOPS : undefined,
      onText: options.onText,
      signal: options.signal,
      scoreTokens: begin === '',
      avoid: settings.avoid,
    });
    meter.add(generation);
    const trimmed = `${begin}${generation.text}`.trim();
    const cut = generation.stopReason === 'length' ? trimToSentence(trimmed) : trimmed;
    // Cutting back to a sentence never takes away the beginning the author chose.
    const text = cut.length < begin.trim().length ? trimmed : cut;
    return { text, scores: generation.score && begin === '' ? scoresForPassage(generation.text, generation.score, text) : null };
  };

  const first = await attempt(0);
  // Nothing at all (a small model may end its text at once): one more try with another seed, before giving up.
  const empty = first.text.length === 0;
  if (!empty && !isRepetitive(first.text, options.recent, { threshold: settings.repetitionThreshold })) return first;
  meter.regenerated = true;
  options.onRestart?.();
  const second = await attempt(1);
  if (empty) return second;
  if (second.text.length === 0) return first;
  return ngramOverlap(second.text, options.recent) <= ngramOverlap(first.text, options.recent) ? second : first;
}
