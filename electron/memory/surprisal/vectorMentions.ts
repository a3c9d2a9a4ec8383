import type { MemoryEntry } from '../../contract/index.js';
import { cosineSimilarity, type Embedder } from '../Embedder.js';
import { segmentSpans } from './segmentSpans.js';

/**
 * Entries a turn mentions again by meaning, for when it names no shared name or words ("the old lighthouse keeper"
 * coming back as "the man who tended the light"): an entry counts when some sentence of the turn lies within
 * cosine `threshold` of it. Sentences rather than the whole turn, because one sentence about the detail in a long
 * passage about other things would be drowned in a vector of the whole passage. Pinned entries never fade, so
 * they are not asked about.
 */
export async function vectorMentions(
  embedder: Embedder,
  entries: readonly MemoryEntry[],
  texts: readonly { text: string }[],
  threshold: number,
  maxSpanWords: number,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const asked = entries.filter((e) => !e.pinned && e.text.trim() !== '');
  const sentences = texts.flatMap((t) => segmentSpans(t.text, maxSpanWords).map((s) => s.text));
  if (asked.length === 0 || sentences.length === 0) return new Set();
  const vectors = await embedder.embed([...asked.map((e) => e.text), ...sentences], signal);
  const entryVectors = vectors.slice(0, asked.length);
  const sentenceVectors = vectors.slice(asked.length);
  const mentioned = new Set<string>();
  asked.forEach((entry, i) => {
    const own = entryVectors[i];
    if (own && sentenceVectors.some((s) => cosineSimilarity(own, s) >= threshold)) mentioned.add(entry.id);
  });
  return mentioned;
}
