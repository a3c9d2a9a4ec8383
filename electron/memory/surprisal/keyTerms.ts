const WORD = /[\p{L}\p{N}]+/gu;
// Function words that say nothing about which detail a text is about.
const STOPWORDS = new Set(
  ('the and but for not you your she her him his they them their its are was were has had have with from that this ' +
    'what when where who why how all any can could would should will into onto over then than there here very just ' +
    'said says one out off our ours too also been being did does some such only own same each few more most other')
    .split(' '),
);
// Short function words contentWords never sees: with STOPWORDS, words that are no one's name however written.
const NOT_NAMES = new Set([...STOPWORDS, ...'it he we me my us an as at by if in is of on or so to up no oh yes do go be'.split(' ')]);

/** Lower-cased content words of a text (3+ characters, no function words). */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length >= 3 && !STOPWORDS.has(word)) words.add(word);
  }
  return words;
}

/** Lower-cased names: capitalised words that do not start a sentence (and are not "I"). */
export function names(text: string): Set<string> {
  return new Set(capitalisedWords(text).filter((w) => !w.startsSentence).map((w) => w.name));
}

export interface CapitalisedWord {
  /** Lower-cased. */
  name: string;
  /** As written. */
  word: string;
  index: number;
  /** At the start of a sentence (or of speech), where any word is capitalised: not in itself a sign of a name. */
  startsSentence: boolean;
}

/** Every capitalised word of two or more letters, in order, but function words ("It", "Then"), which a quote or a line break may capitalise. */
export function capitalisedWords(text: string): CapitalisedWord[] {
  const found: CapitalisedWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (!/^\p{Lu}/u.test(word) || word.length < 2 || NOT_NAMES.has(word.toLowerCase())) continue;
    const index = match.index ?? 0;
    found.push({ name: word.toLowerCase(), word, index, startsSentence: startsSentence(text, index) });
  }
  return found;
}

/** Lower-cased words of a text, every one. */
export function allWords(text: string): Set<string> {
  return new Set(Array.from(text.toLowerCase().matchAll(WORD), (m) => m[0]));
}

/** Whether the last character before `index`, spaces aside, ends a sentence or opens speech (or there is none). */
function startsSentence(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /\s/u.test(text[i] as string)) i--;
  return i < 0 || /[.!?…"“«(]/u.test(text[i] as string);
}

/** Jaccard overlap of two texts' content words: 1 for the same words, 0 for none in common. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
