import type { SqliteDatabase } from '../../../native/sqlite/index.js';
import { keepValidPhrases, keepValidSettings, LongtaleError } from '../../contract/index.js';
import { parseJson } from '../parseJson.js';
import { NODE_COLUMNS, type NodeRow, rowToNode } from '../rowToNode.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type StoryArchive } from './StoryArchive.js';

interface StoryRow {
  title: string;
  premise: string;
  genre: string;
  style: string;
  outline: string;
  settings: string;
  avoid: string;
  created_at: number;
  updated_at: number;
  current_node_id: number | null;
}

/** The whole story (every branch, its state, the bible) as one archive, read in a single transaction. */
export function readArchive(db: SqliteDatabase, storyId: number, now: number = Date.now()): StoryArchive {
  return db.transaction(() => {
    const story = db.get<StoryRow>(
      'SELECT title, premise, genre, style, outline, settings, avoid, created_at, updated_at, current_node_id FROM stories WHERE id = ?',
      [storyId],
    );
    if (!story) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    const rows = db.all<NodeRow & { sibling_order: number; visited_at: number | null }>(
      `SELECT ${NODE_COLUMNS}, n.sibling_order, n.visited_at FROM nodes n WHERE n.story_id = ? ORDER BY n.id`,
      [storyId],
    );
    if (rows.length === 0 || story.current_node_id === null) {
      throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    }
    const facts = db.all<{ text: string; fromNodeId: number | null }>(
      'SELECT text, from_node_id AS fromNodeId FROM facts WHERE story_id = ? ORDER BY position, id',
      [storyId],
    );
    const checks = db.all<{ question: string; answer: string }>('SELECT question, answer FROM saved_checks WHERE story_id = ? ORDER BY position, id', [storyId]);
    return {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: now,
      story: {
        title: story.title,
        premise: story.premise,
        genre: story.genre,
        style: story.style,
        outline: story.outline,
        settings: keepValidSettings(parseJson(story.settings)),
        avoid: keepValidPhrases(parseJson(story.avoid)),
        createdAt: story.created_at,
        updatedAt: story.updated_at,
      },
      currentNodeId: story.current_node_id,
      checks,
      facts: facts.map(({ text, fromNodeId }) => (fromNodeId === null ? text : { text, fromNodeId })),
      nodes: rows.map((row) => {
        const node = rowToNode(row);
        return {
          id: node.id,
          parentId: node.parentId,
          siblingOrder: row.sibling_order,
          passage: node.passage,
          summary: node.summary,
          instruction: node.instruction,
          shortMemory: node.shortMemory,
          plans: node.plans,
          keyMemory: node.keyMemory,
          stats: node.stats,
          stale: node.stale,
          createdAt: node.createdAt,
          editedAt: node.editedAt,
          visitedAt: row.visited_at,
        };
      }),
    };
  });
}
