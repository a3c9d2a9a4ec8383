import type { SqliteDatabase } from '../../native/sqlite/index.js';
import type { StorySummary } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import { deleteNodesLeafFirst } from './deleteNodesLeafFirst.js';
import { rowToSummary, STORY_COLUMNS, type StoryRow } from './rowToSummary.js';

/** Stories in the trash are purged for good after this long. */
export const TRASH_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deleting a story moves it to the trash: it leaves the library but keeps every passage until purged, by hand
 * or after TRASH_DAYS. Years of someone's writing should take two deliberate steps to destroy.
 */
export class Trash {
  readonly #db: SqliteDatabase;
  readonly #now: () => number;

  constructor(db: SqliteDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  list(): StorySummary[] {
    return this.#db
      .all<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.deleted_at IS NOT NULL ORDER BY s.deleted_at DESC, s.id DESC`)
      .map(rowToSummary);
  }

  put(storyId: number): void {
    const changed = this.#db.run('UPDATE stories SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', [this.#now(), storyId]).changes;
    if (changed === 0) this.#missing(storyId, false);
  }

  restore(storyId: number): void {
    const changed = this.#db.run('UPDATE stories SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL', [storyId]).changes;
    if (changed === 0) this.#missing(storyId, true);
  }

  /** Deletes a story that is in the trash, with all its nodes, facts and index entries, in one transaction. */
  purge(storyId: number): void {
    this.#db.transaction(() => {
      if (!this.#db.get('SELECT 1 FROM stories WHERE id = ? AND deleted_at IS NOT NULL', [storyId])) this.#missing(storyId, true);
      this.#delete(storyId);
    });
  }

  /** Purges what has been in the trash longer than TRASH_DAYS; returns how many stories went. */
  purgeExpired(): number {
    return this.#db.transaction(() => {
      const expired = this.#db.all<{ id: number }>('SELECT id FROM stories WHERE deleted_at IS NOT NULL AND deleted_at < ?', [
        this.#now() - TRASH_DAYS * DAY_MS,
      ]);
      for (const { id } of expired) this.#delete(id);
      return expired.length;
    });
  }

  #delete(storyId: number): void {
    this.#db.run('UPDATE stories SET current_node_id = NULL WHERE id = ?', [storyId]);
    deleteNodesLeafFirst(this.#db, 'SELECT id, 0 FROM nodes WHERE story_id = ? AND parent_id IS NULL', [storyId]);
    this.#db.run('DELETE FROM stories WHERE id = ?', [storyId]);
  }

  #missing(storyId: number, expectInTrash: boolean): never {
    const row = this.#db.get<{ deleted_at: number | null }>('SELECT deleted_at FROM stories WHERE id = ?', [storyId]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    throw new LongtaleError('INVALID_INPUT', expectInTrash ? `Story ${storyId} is not in the trash.` : `Story ${storyId} is already in the trash.`);
  }
}
