import type { SectionId, SectionTrim } from './PromptSection.js';

/**
 * The trimming order the design asks for, in one place so callers need not invent priorities: retrieved passages
 * go first (least relevant last item first), then the start of the previous passage, then surprisal memory from
 * its end, then the start of the short-term memory. Style, bible and instruction are never cut; the outline (the model's own text) is cut last. The
 * surprisal memory already keeps to its own budget (a tenth of the context, its best entries: memoryForPrompt), so
 * it gives way only after the previous passage, whose gist the short-term memory carries; a tight context thus
 * still shows the details that must survive (the long-range facts), at the cost of the passage's older lines.
 */
export const sectionPolicy: Readonly<Record<SectionId, { trim: SectionTrim; priority: number }>> = {
  style: { trim: 'never', priority: 100 },
  bible: { trim: 'never', priority: 100 },
  // The outline is the model's own text: a poor model can make it long, and it must never block every step.
  outline: { trim: 'cut-text', priority: 50 },
  keyMemory: { trim: 'drop-items', priority: 35 },
  shortMemory: { trim: 'cut-text', priority: 40 },
  related: { trim: 'drop-items', priority: 10 },
  previous: { trim: 'cut-text', priority: 30 },
  instruction: { trim: 'never', priority: 100 },
};
