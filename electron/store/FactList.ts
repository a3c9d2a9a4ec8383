import { LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';

/** A pinned fact as stored: for the whole story, or from a passage on, on its branch (`fromNodeId`). */
export interface StoredFact {
  id: number;
  text: string;
  fromNodeId: number | null;
}

/**
 * The pinned facts of stories (the story bible). Used by StoryStore, which checks the story and owns the
 * transaction; every change marks the story updated through `touch`.
 */
export class FactList {
  readonly #db: SqliteDatabase;
  readonly #touch: (storyId: number) => void;

  constructor(db: SqliteDatabase, touch: (storyId: number) => void) {
    this.#db = db;
    this.#touch = touch;
  }

  list(storyId: number): StoredFact[] {
    return this.#db.all<StoredFact>('SELECT id, text, from_node_id AS fromNodeId FROM facts WHERE story_id = ? ORDER BY position, id', [storyId]);
  }

  /** `fromNodeId` must be a node of the story (the caller checks). */
  add(storyId: number, text: string, now: number, fromNodeId: number | null = null): StoredFact {
    checkText(text);
    const id = Number(
      this.#db.run(
        `INSERT INTO facts (story_id, text, position, created_at, from_node_id)
         VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM facts WHERE story_id = ?), ?, ?)`,
        [storyId, text, storyId, now, fromNodeId],
      ).lastInsertRowid,
    );
    this.#touch(storyId);
    return { id, text, fromNodeId };
  }

  edit(storyId: number, factId: number, text: string): void {
    checkText(text);
    if (this.#db.run('UPDATE facts SET text = ? WHERE id = ? AND story_id = ?', [text, factId, storyId]).changes === 0) {
      throw notFound(storyId, factId);
    }
    this.#touch(storyId);
  }

  remove(storyId: number, factId: number): void {
    if (this.#db.run('DELETE FROM facts WHERE id = ? AND story_id = ?', [factId, storyId]).changes === 0) {
      throw notFound(storyId, factId);
    }
    this.#touch(storyId);
  }
}

function checkText(text: string): void {
  if (text.trim() === '') throw new LongtaleError('INVALID_INPUT', 'The fact is empty.');
}

// The contract has no FACT_NOT_FOUND; a fact id that is not in this story is a bad request.
function notFound(storyId: number, factId: number): LongtaleError {
  return new LongtaleError('INVALID_INPUT', `There is no fact ${factId} in story ${storyId}.`);
}
