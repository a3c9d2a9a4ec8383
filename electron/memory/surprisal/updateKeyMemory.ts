import type { MemoryEntry } from '../../contract/index.js';
import { classifySpan } from './classifySpan.js';
import { decayEntries } from './decayEntries.js';
import { evictEntries } from './evictEntries.js';
import { contentWords, names, similarity } from './keyTerms.js';
import type { MemorySettings } from './MemorySettings.js';
import type { ScoredToken } from './ScoredToken.js';
import { segmentSpans } from './segmentSpans.js';
import { selectSpans } from './selectSpans.js';
import { contentSurprisal, spanScore } from './spanScore.js';
import { storyOrder } from './storyOrder.js';

/** A text of the turn with its scored tokens: the passage, or the reader's own instruction (action or plan). */
export interface TurnText {
  origin: 'passage' | 'instruction';
  text: string;
  tokens: readonly ScoredToken[];
}

export interface KeyMemoryTurn {
  /** The memory as of the node the turn continues from. */
  entries: readonly MemoryEntry[];
  /** Depth of the new node (the root is turn 0). */
  turn: number;
  texts: readonly TurnText[];
  /** Tokens the memory may fill. */
  budget: number;
  countTokens: (text: string) => number;
  settings: MemorySettings;
  /** Ids of entries the turn mentions again by meaning (vectorMentions), when an embedding model is configured. */
  mentioned?: ReadonlySet<string>;
}

export interface KeyMemoryUpdate {
  /** The memory after this turn, in story order. */
  entries: MemoryEntry[];
  /** Entries taken from this turn's texts: their `sourceNode` is the new node, known once it is stored. */
  ownIds: string[];
  added: number;
  merged: number;
  reinforced: number;
  evicted: number;
}

/**
 * One turn of the surprisal memory (SirLLM at the level of text, reference §2.6):
 * 1. every unpinned score decays by its kind's factor (new material enters undecayed);
 * 2. entries the turn mentions again (a shared name, enough shared content words, or by meaning: `mentioned`) come
 *    back to their base;
 * 3. the turn's spans are scored (mean of the top half of their content tokens' surprisal), z-normalised over the
 *    turn, and the high ones kept; a span that repeats an entry merges into it instead of being added twice;
 * 4. entries below the threshold are forgotten, then the lowest scores until the memory fits its budget.
 * Pinned entries never decay and are never evicted.
 */
export function updateKeyMemory(input: KeyMemoryTurn): KeyMemoryUpdate {
  const { turn, settings } = input;
  let entries = decayEntries(input.entries, settings.decay);

  const turnWords = new Set<string>();
  for (const t of input.texts) for (const w of contentWords(t.text)) turnWords.add(w);
  let reinforced = 0;
  entries = entries.map((entry) => {
    if (!input.mentioned?.has(entry.id) && !mentions(entry.text, turnWords, settings.mentionWords)) return entry;
    reinforced++;
    return { ...entry, score: Math.max(entry.score, entry.base), lastSeen: turn };
  });

  const candidates = input.texts.flatMap((source) => {
    const content = contentSurprisal(source.tokens);
    return segmentSpans(source.text, settings.maxSpanWords).flatMap((span) => {
      const raw = spanScore(span, content);
      return raw === null ? [] : [{ ...span, raw, origin: source.origin }];
    });
  });
  const kept = selectSpans(candidates, settings.keepZ, settings.keepShare);

  const ownIds: string[] = [];
  let added = 0;
  let merged = 0;
  for (const span of kept) {
    const words = contentWords(span.text);
    const twin = entries.find((e) => similarity(contentWords(e.text), words) >= settings.mergeSimilarity);
    if (twin) {
      merged++;
      entries = entries.map((e) =>
        e === twin ? { ...e, score: Math.max(e.score, span.z), base: Math.max(e.base, span.z), lastSeen: turn } : e,
      );
      continue;
    }
    const id = `${turn}.${span.origin === 'passage' ? 'p' : 'i'}${span.start}`;
    if (entries.some((e) => e.id === id)) continue;
    added++;
    ownIds.push(id);
    entries.push({
      id,
      text: span.text,
      kind: span.origin === 'instruction' ? 'user' : classifySpan(span.text),
      score: span.z,
      base: span.z,
      turnAdded: turn,
      lastSeen: turn,
      pinned: false,
      sourceNode: null,
      offsets: span.origin === 'passage' ? { start: span.start, end: span.end } : null,
    });
  }

  const { kept: remaining, evicted } = evictEntries(entries, settings.threshold, input.budget, input.countTokens);
  const alive = new Set(remaining.map((e) => e.id));
  return {
    entries: remaining.sort(storyOrder),
    ownIds: ownIds.filter((id) => alive.has(id)),
    added,
    merged,
    reinforced,
    evicted: evicted.length,
  };
}

/** Whether a turn whose content words are `turnWords` mentions the entry again: a shared name, or enough words. */
function mentions(text: string, turnWords: ReadonlySet<string>, needed: number): boolean {
  for (const name of names(text)) if (turnWords.has(name)) return true;
  const words = contentWords(text);
  let shared = 0;
  for (const word of words) if (turnWords.has(word)) shared++;
  return shared >= Math.min(needed, words.size) && shared > 0;
}
