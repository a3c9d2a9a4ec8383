import type { Fact } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';

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

  list(storyId: number): Fact[] {
    return this.#db.all<Fact>('SELECT id, text FROM facts WHERE story_id = ? ORDER BY position, id', [storyId]);
  }

  add(storyId: number, text: string, now: number): Fact {
    checkText(text);
    const id = Number(
      this.#db.run(
        `INSERT INTO facts (story_id, text, position, created_at)
         VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM facts WHERE story_id = ?), ?)`,
        [storyId, text, storyId, now],
      ).lastInsertRowid,
    );
    this.#touch(storyId);
    return { id, text };
  }

  edit(storyId: number, factId: number, text: string): Fact {
    checkText(text);
    if (this.#db.run('UPDATE facts SET text = ? WHERE id = ? AND story_id = ?', [text, factId, storyId]).changes === 0) {
      throw notFound(storyId, factId);
    }
    this.#touch(storyId);
    return { id: factId, text };
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
