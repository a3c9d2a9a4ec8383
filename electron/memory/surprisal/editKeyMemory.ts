import type { MemoryEntry, MemoryKind } from '../../contract/index.js';
import { LongtaleError } from '../../contract/index.js';
import { storyOrder } from './storyOrder.js';

/** What the user may change on an entry; absent fields stay as they are. */
export interface EntryEdit {
  text?: string;
  kind?: MemoryKind;
  pinned?: boolean;
}

export interface NewEntry {
  text: string;
  kind: MemoryKind;
  pinned: boolean;
}

/**
 * Changes one entry. New text loses its offsets (it no longer quotes the passage) but keeps its score; pinning
 * freezes the score where it is, unpinning lets it decay again from there.
 */
export function editEntry(entries: readonly MemoryEntry[], id: string, edit: EntryEdit): MemoryEntry[] {
  const entry = find(entries, id);
  const text = edit.text?.trim();
  if (text !== undefined && text === '') throw new LongtaleError('INVALID_INPUT', 'The memory text is empty.');
  const changed: MemoryEntry = {
    ...entry,
    ...(text !== undefined && text !== entry.text ? { text, offsets: null } : {}),
    ...(edit.kind !== undefined ? { kind: edit.kind } : {}),
    ...(edit.pinned !== undefined ? { pinned: edit.pinned } : {}),
  };
  return entries.map((e) => (e === entry ? changed : e));
}

export function forgetEntry(entries: readonly MemoryEntry[], id: string): MemoryEntry[] {
  const entry = find(entries, id);
  return entries.filter((e) => e !== entry);
}

/** Adds the user's own detail at `turn`, with the user score (settings.userScore) as its score and base. */
export function addEntry(entries: readonly MemoryEntry[], added: NewEntry, turn: number, score: number): { entries: MemoryEntry[]; entry: MemoryEntry } {
  const text = added.text.trim();
  if (text === '') throw new LongtaleError('INVALID_INPUT', 'The memory text is empty.');
  const prefix = `${turn}.u`;
  const taken = entries.filter((e) => e.id.startsWith(prefix)).map((e) => Number(e.id.slice(prefix.length)) || 0);
  const entry: MemoryEntry = {
    id: `${prefix}${Math.max(0, ...taken) + 1}`,
    text,
    kind: added.kind,
    score,
    base: score,
    turnAdded: turn,
    lastSeen: turn,
    pinned: added.pinned,
    sourceNode: null,
    offsets: null,
  };
  return { entries: [...entries, entry].sort(storyOrder), entry };
}

function find(entries: readonly MemoryEntry[], id: string): MemoryEntry {
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new LongtaleError('MEMORY_NOT_FOUND', `There is no memory entry "${id}" at this passage.`);
  return entry;
}
