/** The parts of a step prompt, most stable first (see DESIGN.md, "The story engine"). */
export type SectionId =
  | 'style'
  | 'bible'
  | 'outline'
  | 'keyMemory'
  | 'shortMemory'
  | 'related'
  | 'previous'
  | 'instruction';

/**
 * How a section may shrink to fit the budget:
 * - `never`: kept verbatim; if these alone do not fit, assembly fails instead of dropping user-owned text;
 * - `drop-items`: whole items are dropped from the end (items are ordered most important first);
 * - `cut-text`: text is cut from the beginning (the most recent text is at the end), marked with a leading "…".
 */
export type SectionTrim = 'never' | 'drop-items' | 'cut-text';

export interface PromptSection {
  id: SectionId;
  /** Rendered as a `## title` heading line; an empty title renders the items without a heading. */
  title: string;
  /** Entries (pinned facts, memory entries, retrieved passages) or passages; blank items are ignored. */
  items: readonly string[];
  trim: SectionTrim;
  /** Lower is trimmed first; ties go in list order. Ignored for `never`. */
  priority: number;
}
