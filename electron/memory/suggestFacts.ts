import type { FactSuggestion } from '../contract/index.js';
import { allWords, type CapitalisedWord, capitalisedWords } from './surprisal/keyTerms.js';

/** A passage of the path, oldest first. */
export interface SuggestionPassage {
  nodeId: number;
  passage: string;
}

/** A passage's heatmap, read only for the passages that brought a suggested name in (empty: never scored, or edited since). */
export type TokensOf = (nodeId: number) => readonly { text: string; surprisal: number }[];

/** A name in fewer passages is not yet a recurring part of the story. */
export const MIN_PASSAGES = 2;
/** Longer sentences are cut at a word, so a suggestion stays a line. */
const MAX_TEXT_CHARS = 240;
/** What an unscored first mention counts as: about an unremarkable word. */
const UNSCORED_NATS = 3;

/**
 * Names that keep coming up in the story but are in no pinned fact yet: candidates for the story bible (a "lore
 * card" the author never had to key in). A name counts when it recurs in at least MIN_PASSAGES passages; they rank
 * by how many passages mention it times how surprising it was where it first appeared: a name the model did not see
 * coming was brought in by the story, one it expected (a stock word capitalised) says less. `known` is the text
 * already in the bible (title, premise, facts): a name that is a word of it is not suggested.
 */
export function suggestFacts(path: readonly SuggestionPassage[], known: readonly string[], tokensOf: TokensOf, limit = 5): FactSuggestion[] {
  const excluded = allWords(known.join('\n'));
  const words = path.map(({ passage }) => capitalisedWords(passage));
  // A name is written capitalised inside a sentence somewhere; once known, it counts at a sentence start too.
  const midSentence = path.flatMap(({ passage }, i) => nameRuns(passage, words[i] ?? []).filter((r) => !r.startsSentence));
  const candidates = new Set(midSentence.map((r) => r.name).filter((name) => !name.split(' ').some((w) => excluded.has(w))));
  const found = new Map<string, { first: CapitalisedWord; at: SuggestionPassage; passages: number }>();
  for (const [i, at] of path.entries()) {
    const seen = new Set<string>();
    for (const run of nameRuns(at.passage, words[i] ?? [], candidates)) {
      if (!candidates.has(run.name) || seen.has(run.name)) continue;
      seen.add(run.name);
      const entry = found.get(run.name);
      if (entry) entry.passages += 1;
      else found.set(run.name, { first: run, at, passages: 1 });
    }
  }
  const suggestions = [...found.values()]
    .filter((f) => f.passages >= MIN_PASSAGES)
    .map(({ first, at, passages }): FactSuggestion => ({
      name: first.word,
      text: sentenceAround(at.passage, first.index),
      passages,
      nodeId: at.nodeId,
      surprisal: spanSurprisal(tokensOf(at.nodeId), at.passage, first.index, first.word.length),
    }));
  const weight = (s: FactSuggestion) => s.passages * (s.surprisal ?? UNSCORED_NATS);
  return suggestions.sort((a, b) => weight(b) - weight(a) || b.passages - a.passages || a.name.localeCompare(b.name)).slice(0, limit);
}

/**
 * Capitalised words, with runs of them one space apart joined into one name ("Skerry Rock", "Captain Hale"). A run
 * never starts with a word that starts a sentence ("Then Ada" is Ada), unless the joined name is in `names`.
 */
function nameRuns(text: string, words: readonly CapitalisedWord[], names: ReadonlySet<string> = new Set()): CapitalisedWord[] {
  const runs: CapitalisedWord[] = [];
  for (const word of words) {
    const last = runs.at(-1);
    const adjacent = last && !word.startsSentence && word.index === last.index + last.word.length + 1 && text[word.index - 1] === ' ';
    const joined = last && { ...last, name: `${last.name} ${word.name}`, word: `${last.word} ${word.word}` };
    if (adjacent && joined && (!last.startsSentence || names.has(joined.name))) runs[runs.length - 1] = joined;
    else runs.push(word);
  }
  return runs;
}

/**
 * Summed surprisal of the tokens that overlap [start, start + length) of `passage`: −ln p of the span by the
 * chain rule. Null when the heatmap does not spell out the passage (never scored, or edited since).
 */
function spanSurprisal(tokens: ReturnType<TokensOf>, passage: string, start: number, length: number): number | null {
  let at = 0;
  let sum = 0;
  let spelled = '';
  for (const token of tokens) {
    const end = at + token.text.length;
    if (end > start && at < start + length) sum += token.surprisal;
    spelled += token.text;
    at = end;
  }
  return tokens.length > 0 && spelled === passage ? sum : null;
}

/** The sentence holding `index`, trimmed, cut at a word past MAX_TEXT_CHARS. */
function sentenceAround(text: string, index: number): string {
  const ends = /[.!?…]["”’)]*(?=\s)|\n/gu;
  let start = 0;
  let end = text.length;
  for (const match of text.matchAll(ends)) {
    const at = (match.index ?? 0) + match[0].length;
    if (at <= index) start = at;
    else {
      end = at;
      break;
    }
  }
  const sentence = text.slice(start, end).trim();
  if (sentence.length <= MAX_TEXT_CHARS) return sentence;
  const cut = sentence.lastIndexOf(' ', MAX_TEXT_CHARS);
  return `${sentence.slice(0, cut > 0 ? cut : MAX_TEXT_CHARS)}…`;
}
