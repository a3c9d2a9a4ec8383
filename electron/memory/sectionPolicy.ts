import type { SectionId, SectionTrim } from './PromptSection.js';

/**
 * The trimming order the design asks for, in one place so callers need not invent priorities: retrieved passages
 * go first (least relevant last item first), then surprisal memory from its weakest end, then the start of the
 * previous passage, then the start of the short-term memory. Style, bible, outline and instruction are never cut.
 */
export const sectionPolicy: Readonly<Record<SectionId, { trim: SectionTrim; priority: number }>> = {
  style: { trim: 'never', priority: 100 },
  bible: { trim: 'never', priority: 100 },
  outline: { trim: 'never', priority: 100 },
  keyMemory: { trim: 'drop-items', priority: 20 },
  shortMemory: { trim: 'cut-text', priority: 40 },
  related: { trim: 'drop-items', priority: 10 },
  previous: { trim: 'cut-text', priority: 30 },
  instruction: { trim: 'never', priority: 100 },
};
