import type { Plan } from '../contract/index.js';
import type { MemoryUpdate } from './updateSchema.js';

/** Plans that fit any story, for when the model cannot produce usable ones. */
export const GENERIC_PLANS: readonly Plan[] = [
  { label: 'Continue the scene', text: 'Continue the current scene, following its main character closely.' },
  { label: 'A complication', text: 'Something unexpected complicates the situation and raises the stakes.' },
  { label: 'Elsewhere', text: 'Move to another character or place connected to the story, and show what happens there.' },
];

/**
 * The update when every attempt failed: the memory stays as it was (nothing is invented), the summary is the
 * passage's first sentence, and the plans are generic. The story can always go on.
 */
export function fallbackUpdate(previousMemory: string, passage: string, maxSummary: number): MemoryUpdate {
  const firstSentence = /^.*?[.!?…](?=\s|$)/su.exec(passage.trim())?.[0] ?? passage.trim();
  const summary = firstSentence.length > maxSummary ? `${firstSentence.slice(0, maxSummary - 1).trimEnd()}…` : firstSentence;
  return { memory: previousMemory, summary, plans: GENERIC_PLANS.map((p) => ({ ...p })) };
}
