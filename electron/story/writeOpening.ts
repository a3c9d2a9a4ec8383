import { LongtaleError } from '../contract/index.js';
import { openingPrompt } from './openingPrompt.js';
import type { TextModel } from './TextModel.js';
import { titleFromPremise } from './titleFromPremise.js';
import { trimToSentence } from './trimToSentence.js';

export interface OpeningRequest {
  premise: string;
  title?: string;
  maxTokens: number;
  temperature?: number;
  seed?: number;
}

export interface Opening {
  title: string;
  passage: string;
  stats: { promptTokens: number; evaluatedTokens: number; generatedTokens: number; milliseconds: number };
}

/**
 * Writes the first passage of a new story, streaming its text through `onText`. It commits nothing: the
 * caller stores the result only once the passage is whole, so a cancelled opening leaves no trace.
 */
export async function writeOpening(
  model: TextModel,
  request: OpeningRequest,
  options: { onText?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<Opening> {
  const title = request.title?.trim() || titleFromPremise(request.premise);
  const prompt = openingPrompt(request.premise, title);
  const started = performance.now();
  const generation = await model.generate(prompt, {
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    seed: request.seed,
    onText: options.onText,
    signal: options.signal,
  });
  const text = generation.text.trim();
  const passage = generation.stopReason === 'length' ? trimToSentence(text) : text;
  if (passage.length === 0) throw new LongtaleError('GENERATION_FAILED', 'The model wrote nothing for this premise.');
  return {
    title,
    passage,
    stats: {
      promptTokens: model.countTokens(prompt),
      evaluatedTokens: generation.evaluatedTokens,
      generatedTokens: generation.generatedTokens,
      milliseconds: Math.round(performance.now() - started),
    },
  };
}
