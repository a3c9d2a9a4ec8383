import { LongtaleError, type SavedCheck } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';

/** The continuity checks kept with each story, in the order they were saved. */
export class SavedChecks {
  readonly #db: SqliteDatabase;
  readonly #now: () => number;

  constructor(db: SqliteDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  list(storyId: number): SavedCheck[] {
    this.#storyRef(storyId);
    return this.#db.all<SavedCheck>('SELECT id, question, answer FROM saved_checks WHERE story_id = ? ORDER BY position, id', [storyId]);
  }

  /** Keeps a check (already validated); the same question and answer twice are kept once. */
  add(storyId: number, question: string, answer: string): SavedCheck[] {
    return this.#db.transaction(() => {
      this.#storyRef(storyId);
      const twin = this.#db.get('SELECT id FROM saved_checks WHERE story_id = ? AND question = ? AND answer = ?', [storyId, question, answer]);
      if (!twin) {
        this.#db.run(
          `INSERT INTO saved_checks (story_id, question, answer, position, created_at)
           VALUES (?, ?, ?, (SELECT coalesce(max(position) + 1, 0) FROM saved_checks WHERE story_id = ?), ?)`,
          [storyId, question, answer, storyId, this.#now()],
        );
      }
      return this.list(storyId);
    });
  }

  remove(storyId: number, checkId: number): SavedCheck[] {
    return this.#db.transaction(() => {
      this.#storyRef(storyId);
      if (this.#db.run('DELETE FROM saved_checks WHERE id = ? AND story_id = ?', [checkId, storyId]).changes === 0) {
        // The contract has no CHECK_NOT_FOUND; an id that is not in this story is a bad request.
        throw new LongtaleError('INVALID_INPUT', `There is no saved check ${checkId} in story ${storyId}.`);
      }
      return this.list(storyId);
    });
  }

  #storyRef(storyId: number): void {
    if (!this.#db.get('SELECT 1 FROM stories WHERE id = ?', [storyId])) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
  }
}
