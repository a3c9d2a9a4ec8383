import type { AssembledPrompt, AssembledSection } from './AssembledPrompt.js';
import { cutPoints } from './cutPoints.js';
import { firstGood } from './firstGood.js';
import type { PromptSection, SectionId } from './PromptSection.js';
import { PromptTooLargeError } from './PromptTooLargeError.js';
import { isNotBlank, renderSections } from './renderSections.js';

export interface AssemblePromptInput {
  /** Most stable first: the order is the prompt's order, which keeps the KV-cache prefix reusable. */
  sections: readonly PromptSection[];
  /** Tokens the body may use, measured by `countTokens` on the whole rendered text. */
  budget: number;
  /** The model's tokenizer. Treated as a black box: only whole rendered prompts are counted, never summed parts. */
  countTokens: (text: string) => number;
  /**
   * Other items a `never` section will hold in prompts built later from the same state: the other plans a reader
   * may pick, for the instruction. The trimmed sections are fitted as if it held the longest of these or its own,
   * so every such prompt is the same up to that section, and one KV cache read ahead serves them all. The room may
   * come only from the sections in `roomFrom`: when it would trim any other, this prompt is fitted on its own.
   */
  alternatives?: { id: SectionId; items: readonly (readonly string[])[]; roomFrom: readonly SectionId[] };
}

/** How far past the best word cut we still move to a sentence start, so the kept text reads cleanly. */
const SENTENCE_SLACK_CHARS = 200;

interface Kept {
  items: readonly string[];
  droppedItems: number;
  cut: boolean;
}

type Count = (text: string) => number;

/**
 * Fits the sections into the token budget. Trimmable sections are trimmed one at a time, lowest priority first,
 * each only as far as needed and only after every lower one is empty: `drop-items` loses items from the end,
 * `cut-text` loses text from the beginning (at a sentence start when that costs little, else at a word start).
 * Each trim is a binary search on the section counted alone (cheap), whose answer is then checked and corrected
 * on whole renderings, so a huge section on a slow tokenizer costs about log2(words) small counts and a few whole
 * ones, and the budget holds even for a tokenizer that is not quite monotone.
 * @throws PromptTooLargeError when the `never` sections alone exceed the budget.
 */
export function assemblePrompt({ sections, budget, countTokens, alternatives }: AssemblePromptInput): AssembledPrompt {
  if (!(budget >= 0)) throw new RangeError(`The prompt budget must be a number ≥ 0, not ${budget}.`);

  // Within one assembly the same text is often counted twice (the all-trimmed state, a sentence re-check).
  const counted = new Map<string, number>();
  const count: Count = (text) => {
    let tokens = counted.get(text);
    if (tokens === undefined) {
      tokens = countTokens(text);
      counted.set(text, tokens);
    }
    return tokens;
  };

  const shared = alternatives && fitForAlternatives(sections, alternatives, budget, count);
  return report(sections, shared || fitSections(sections, budget, count), count);
}

/**
 * What each section keeps when the rest is fitted for the longest of the alternatives (see AssemblePromptInput):
 * null when its own items are the longest, when the longest does not fit, or when it would trim a section outside
 * `roomFrom`.
 */
function fitForAlternatives(
  sections: readonly PromptSection[],
  alternatives: NonNullable<AssemblePromptInput['alternatives']>,
  budget: number,
  count: Count,
): Kept[] | null {
  const widest = widestStandIn(sections, alternatives, count);
  if (!widest) return null;
  let kept: Kept[];
  try {
    kept = fitSections(widest.sections, budget, count);
  } catch (error) {
    if (error instanceof PromptTooLargeError) return null;
    throw error;
  }
  const trimmed = (k: Kept | undefined) => (k?.droppedItems ?? 0) > 0 || k?.cut === true;
  if (sections.some((s, i) => trimmed(kept[i]) && !alternatives.roomFrom.includes(s.id))) return null;
  kept[widest.index] = { items: sections[widest.index]?.items.filter(isNotBlank) ?? [], droppedItems: 0, cut: false };
  // Shorter than the stand-in, so it fits, unless the tokenizer is not quite monotone at the seams.
  return count(renderKept(sections, kept)) <= budget ? kept : null;
}

/** The sections with the alternatives' longest items in place of section `id`'s own; null when its own are the longest. */
function widestStandIn(
  sections: readonly PromptSection[],
  alternatives: NonNullable<AssemblePromptInput['alternatives']>,
  count: Count,
): { sections: PromptSection[]; index: number } | null {
  const index = sections.findIndex((s) => s.id === alternatives.id);
  const section = sections[index];
  if (!section) return null;
  const tokens = (items: readonly string[]) => count(renderSections([{ title: section.title, items }]));
  let widest = section.items;
  let most = tokens(widest);
  for (const items of alternatives.items) {
    const n = tokens(items);
    if (n > most) [widest, most] = [items, n];
  }
  if (widest === section.items) return null;
  return { sections: sections.map((s, i) => (i === index ? { ...s, items: widest } : s)), index };
}

function renderKept(sections: readonly PromptSection[], kept: readonly Kept[], index = -1, items: readonly string[] = []): string {
  return renderSections(sections.map((s, i) => ({ title: s.title, items: i === index ? items : (kept[i]?.items ?? []) })));
}

/** What each section keeps so the whole fits (see assemblePrompt). */
function fitSections(sections: readonly PromptSection[], budget: number, count: Count): Kept[] {
  const full = sections.map((section) => section.items.filter(isNotBlank));
  const kept: Kept[] = full.map((items) => ({ items, droppedItems: 0, cut: false }));
  const render = (index = -1, items: readonly string[] = []): string => renderKept(sections, kept, index, items);
  const fits = (index: number, items: readonly string[]): boolean => count(render(index, items)) <= budget;

  /**
   * Whether `candidate` would fit as section `index`, judged from the section alone: the prompt without it plus the
   * candidate rendered alone, with the seam between them measured once on the whole section. Counting a section
   * is much cheaper than counting the whole prompt, so the search runs on this and only checks its answer whole.
   */
  const estimate = (index: number, items: readonly string[]): Estimate => {
    const title = sections[index]?.title ?? '';
    const alone = (candidate: readonly string[]): number => count(renderSections([{ title, items: candidate }]));
    const without = count(render(index, []));
    const whole = count(render(index, items));
    const seam = whole - without - alone(items);
    const charsPerToken = renderSections([{ title, items }]).length / Math.max(1, alone(items));
    return { fits: (candidate) => without + seam + alone(candidate) <= budget, excessChars: Math.max(0, whole - budget) * charsPerToken };
  };

  if (count(render()) > budget) {
    for (const index of trimOrder(sections)) {
      const items = full[index] ?? [];
      if (!fits(index, [])) {
        kept[index] = { items: [], droppedItems: items.length, cut: false };
        continue;
      }
      // The section whole does not fit (that is why we are here) and empty does: search in between.
      const fitsHere = (candidate: readonly string[]): boolean => fits(index, candidate);
      const guess = estimate(index, items);
      kept[index] = sections[index]?.trim === 'cut-text' ? cutText(items, fitsHere, guess) : dropItems(items, fitsHere, guess);
      break;
    }
    // Every trimmable section emptied and still too large: what is left is the `never` sections alone.
    const needed = count(render());
    if (needed > budget) throw new PromptTooLargeError(needed, budget);
  }
  return kept;
}

function report(sections: readonly PromptSection[], kept: readonly Kept[], count: Count): AssembledPrompt {
  const text = renderKept(sections, kept);
  return {
    text,
    tokens: count(text),
    sections: sections.map((section, i): AssembledSection => {
      const { items, droppedItems, cut } = kept[i] ?? { items: [], droppedItems: 0, cut: false };
      let tokens: number | undefined;
      return {
        id: section.id,
        title: section.title,
        // Counted when read: only the prompt preview shows it, and a section may be as long as the whole prompt.
        get tokens(): number {
          if (tokens === undefined) {
            const alone = renderSections([{ title: section.title, items }]);
            tokens = alone === '' ? 0 : count(alone);
          }
          return tokens;
        },
        items: items.length,
        droppedItems,
        cut,
      };
    }),
  };
}

/** Trimmable sections, lowest priority first; ties in list order. */
function trimOrder(sections: readonly PromptSection[]): number[] {
  return sections
    .map((section, index) => ({ section, index }))
    .filter(({ section }) => section.trim !== 'never')
    .sort((a, b) => a.section.priority - b.section.priority || a.index - b.index)
    .map(({ index }) => index);
}

type Fits = (candidate: readonly string[]) => boolean;

/** A cheap judgement of what fits (see `estimate` in assemblePrompt), and how many characters must go by the section's own ratio. */
interface Estimate {
  fits: Fits;
  excessChars: number;
}

/**
 * Keeps the longest prefix of items that fits; `fits([])` holds and `fits(items)` does not. `likely` is a cheap
 * estimate of `fits`: the search runs on it first, then checks and corrects its answer with `fits`.
 */
function dropItems(items: readonly string[], fits: Fits, { fits: likely }: Estimate): Kept {
  // Items dropped: the fewest that fit, between none (does not fit) and all (fits).
  const dropped = (n: number): readonly string[] => items.slice(0, items.length - n);
  const guess = firstGood(0, items.length, (n) => likely(dropped(n)));
  const drop = firstGood(0, items.length, (n) => fits(dropped(n)), guess);
  return { items: dropped(drop), droppedItems: drop, cut: false };
}

/** Keeps the longest "…"-marked tail that fits; `fits([])` holds and `fits(items)` does not (see dropItems for `likely`). */
function cutText(items: readonly string[], fits: Fits, { fits: likely, excessChars }: Estimate): Kept {
  const points = cutPoints(items);
  const from = (p: number): string[] => {
    const point = points[p];
    if (!point) return [];
    const first = items[point.item] ?? '';
    return [`…${first.slice(point.offset)}`, ...items.slice(point.item + 1)];
  };

  // Smallest cut point that fits; -1 stands for the uncut text, points.length for nothing at all.
  // Starting where the section's characters per token say enough text has gone, the estimate needs few counts too.
  const byChars = points.findIndex((p) => p.at >= excessChars);
  const guess = firstGood(-1, points.length, (p) => likely(from(p)), byChars === -1 ? points.length - 1 : byChars);
  const hi = firstGood(-1, points.length, (p) => fits(from(p)), guess);
  if (hi === points.length) return { items: [], droppedItems: items.length, cut: false };

  let best = hi;
  const word = points[hi];
  const sentence = points.findIndex((p, i) => i >= hi && p.sentence);
  const start = points[sentence];
  if (word && start && sentence > hi) {
    const total = items.reduce((sum, item) => sum + item.length + 2, -2);
    const lost = start.at - word.at;
    if (lost <= SENTENCE_SLACK_CHARS && lost * 2 <= total - word.at && fits(from(sentence))) best = sentence;
  }
  const item = points[best]?.item ?? 0;
  return { items: from(best), droppedItems: item, cut: true };
}
