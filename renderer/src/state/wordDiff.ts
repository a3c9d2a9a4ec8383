/** A run of text that both versions share, or that only the new one has (added), or only the old one (removed). */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Past this many words on either side, the diff is one removal and one addition: an LCS table would grow too big. */
const MAX_WORDS = 4000;

/**
 * How `after` differs from `before`, word by word (whitespace kept with the word before it), as the longest common
 * subsequence leaves it: what a memory update dropped and what it wrote. Adjacent parts of one kind are merged.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = words(before);
  const b = words(after);
  if (a.length > MAX_WORDS || b.length > MAX_WORDS) return merge([...a.map((text) => part('removed', text)), ...b.map((text) => part('added', text))]);
  // lengths[i][j]: LCS of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = same(a[i]!, b[j]!)
        ? lengths[(i + 1) * width + j + 1]! + 1
        : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i]!, b[j]!)) {
      parts.push(part('same', b[j]!));
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)) {
      // On a tie the removal comes first, as diffs are read: what went, then what replaced it.
      parts.push(part('removed', a[i++]!));
    } else {
      parts.push(part('added', b[j++]!));
    }
  }
  return merge(parts);
}

function words(text: string): string[] {
  return text.match(/\S+\s*/gu) ?? [];
}

/** Words compare without the whitespace after them, so a word moved to the end of a line still matches. */
function same(x: string, y: string): boolean {
  return x.trimEnd() === y.trimEnd();
}

function part(kind: DiffPart['kind'], text: string): DiffPart {
  return { kind, text };
}

function merge(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  for (const p of parts) {
    const last = merged.at(-1);
    if (last?.kind === p.kind) last.text += p.text;
    else merged.push({ ...p });
  }
  return merged;
}
