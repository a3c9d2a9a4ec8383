import type { StoryNode, StorySummary, StoryView } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { countWords } from './countWords.js';

interface StoryRow {
  id: number;
  title: string;
  premise: string;
  current_node_id: number | null;
  created_at: number;
  updated_at: number;
  passage_count: number;
  word_count: number;
}

interface NodeRow {
  id: number;
  parent_id: number | null;
  passage: string;
  created_at: number;
}

export interface NewStoryRecord {
  title: string;
  premise: string;
  passage: string;
  state?: unknown;
}

const STORY_COLUMNS = `s.id, s.title, s.premise, s.current_node_id, s.created_at, s.updated_at,
  (SELECT count(*) FROM nodes n WHERE n.story_id = s.id) AS passage_count,
  (SELECT coalesce(sum(n.word_count), 0) FROM nodes n WHERE n.story_id = s.id) AS word_count`;

/** Stories and their node trees. Every write is one transaction, so a crash never leaves half a story. */
export class StoryStore {
  readonly #db: SqliteDatabase;
  readonly #now: () => number;

  constructor(db: SqliteDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  list(): StorySummary[] {
    return this.#db
      .all<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s ORDER BY s.updated_at DESC, s.id DESC`)
      .map(toSummary);
  }

  /** Creates a story with its first passage as the root node, and makes that node current. */
  create(record: NewStoryRecord): StoryView {
    const id = this.#db.transaction(() => {
      const now = this.#now();
      const storyId = Number(
        this.#db.run('INSERT INTO stories (title, premise, created_at, updated_at) VALUES (?, ?, ?, ?)', [
          record.title,
          record.premise,
          now,
          now,
        ]).lastInsertRowid,
      );
      const nodeId = Number(
        this.#db.run(
          'INSERT INTO nodes (story_id, parent_id, passage, word_count, state, created_at) VALUES (?, NULL, ?, ?, ?, ?)',
          [storyId, record.passage, countWords(record.passage), JSON.stringify(record.state ?? {}), now],
        ).lastInsertRowid,
      );
      this.#db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [nodeId, storyId]);
      return storyId;
    });
    return this.open(id);
  }

  /** The story with the path from its root to its current node. */
  open(storyId: number): StoryView {
    const row = this.#db.get<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ?`, [storyId]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    if (row.current_node_id === null) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return { story: toSummary(row), currentNodeId: row.current_node_id, path: this.pathTo(row.current_node_id) };
  }

  /** Nodes from the root down to `nodeId`, in story order. */
  pathTo(nodeId: number): StoryNode[] {
    const rows = this.#db.all<NodeRow & { depth: number }>(
      `WITH RECURSIVE up(id, parent_id, passage, created_at, depth) AS (
         SELECT id, parent_id, passage, created_at, 0 FROM nodes WHERE id = ?
         UNION ALL
         SELECT n.id, n.parent_id, n.passage, n.created_at, up.depth + 1 FROM nodes n JOIN up ON n.id = up.parent_id
       )
       SELECT id, parent_id, passage, created_at, depth FROM up ORDER BY depth DESC`,
      [nodeId],
    );
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id, passage: r.passage, createdAt: r.created_at }));
  }
}

function toSummary(row: StoryRow): StorySummary {
  return {
    id: row.id,
    title: row.title,
    premise: row.premise,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passageCount: row.passage_count,
    wordCount: row.word_count,
  };
}
