import { ngramOverlap } from './ngramOverlap.js';

export interface RepetitionOptions {
  /** Words per n-gram (default 4). */
  n?: number;
  /** Largest share of repeated n-grams still accepted (default 0.15, from RecurrentGPT-made-robust §1.11). */
  threshold?: number;
}

/** Whether a new passage repeats recent ones too much and should be regenerated: overlap strictly above threshold. */
export function isRepetitive(candidate: string, recent: readonly string[], options: RepetitionOptions = {}): boolean {
  const { n = 4, threshold = 0.15 } = options;
  return ngramOverlap(candidate, recent, n) > threshold;
}
