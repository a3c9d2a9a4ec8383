import type { SectionId } from './PromptSection.js';

export interface AssembledSection {
  id: SectionId;
  title: string;
  /** Tokens of this section rendered on its own (0 when omitted). Tokenizers are not additive: no sum to the total. */
  tokens: number;
  /** Items rendered, counting a cut item. */
  items: number;
  /** Items removed whole. */
  droppedItems: number;
  /** The first kept item lost its beginning and starts with "…". */
  cut: boolean;
}

export interface AssembledPrompt {
  /** The prompt body, as `renderSections` renders the kept items. */
  text: string;
  /** In input order, including sections that ended up empty. */
  sections: AssembledSection[];
  /** `countTokens(text)`: at most the budget. */
  tokens: number;
}
