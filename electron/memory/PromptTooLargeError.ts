import { LongtaleError } from '../contract/index.js';

/**
 * The parts of the prompt that may never be trimmed (style, story bible, instruction) need more tokens than the
 * budget allows. A LongtaleError so it reaches the user as something they can fix (shorten the pinned facts or the
 * instruction, or pick a model with a larger context) rather than as an internal failure.
 */
export class PromptTooLargeError extends LongtaleError {
  override name = 'PromptTooLargeError';
  constructor(
    readonly needed: number,
    readonly budget: number,
  ) {
    super(
      'INVALID_INPUT',
      `The style, story bible and instruction need ${needed} tokens, but the prompt may only use ${budget}.`,
    );
  }
}
