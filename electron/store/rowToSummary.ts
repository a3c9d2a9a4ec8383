import type { StorySummary } from '../contract/index.js';

/** A story as selected with STORY_COLUMNS. */
export interface StoryRow {
  id: number;
  title: string;
  premise: string;
  genre: string;
  style: string;
  outline: string;
  current_node_id: number | null;
  created_at: number;
  updated_at: number;
  passage_count: number;
  word_count: number;
}

/**
 * The columns rowToSummary reads, for a query over `stories s`; counts cover every branch, not one path (kept by
 * triggers, migration 006).
 */
export const STORY_COLUMNS = `s.id, s.title, s.premise, s.genre, s.style, s.outline, s.current_node_id, s.created_at,
  s.updated_at, s.passage_count, s.word_count`;

export function rowToSummary(row: StoryRow): StorySummary {
  return {
    id: row.id,
    title: row.title,
    premise: row.premise,
    genre: row.genre,
    style: row.style,
    outline: row.outline,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passageCount: row.passage_count,
    wordCount: row.word_count,
  };
}
