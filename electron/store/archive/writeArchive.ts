import type { SqliteDatabase } from '../../../native/sqlite/index.js';
import { LongtaleError } from '../../contract/index.js';
import { countWords } from '../countWords.js';
import type { StoryArchive } from './StoryArchive.js';

/**
 * Adds an archived story as a new story, with new ids, in one transaction: either all of it lands or nothing.
 * The tree is checked first (unique ids, parents that exist, no cycles, a current node), so a hand-edited file
 * cannot leave a broken story behind.
 */
export function writeArchive(db: SqliteDatabase, archive: StoryArchive): number {
  const order = treeOrder(archive);
  return db.transaction(() => {
    const { story } = archive;
    const storyId = Number(
      db.run(
        `INSERT INTO stories (title, premise, genre, style, outline, settings, avoid, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          story.title,
          story.premise,
          story.genre,
          story.style,
          story.outline,
          JSON.stringify(story.settings ?? {}),
          JSON.stringify(story.avoid ?? []),
          story.createdAt,
          story.updatedAt,
        ],
      ).lastInsertRowid,
    );
    const ids = new Map<number, number>();
    for (const node of order) {
      const parentId = node.parentId === null ? null : (ids.get(node.parentId) ?? null);
      const state = JSON.stringify({ shortMemory: node.shortMemory, plans: node.plans, keyMemory: node.keyMemory, stats: node.stats });
      const id = db.run(
        `INSERT INTO nodes (story_id, parent_id, sibling_order, passage, word_count, state, created_at, summary, instruction,
           stale, edited_at, visited_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          storyId,
          parentId,
          node.siblingOrder,
          node.passage,
          countWords(node.passage),
          state,
          node.createdAt,
          node.summary,
          JSON.stringify(node.instruction),
          node.stale ? 1 : 0,
          node.editedAt,
          node.visitedAt,
        ],
      ).lastInsertRowid;
      ids.set(node.id, Number(id));
    }
    // Memory entries name the node they came from by the file's ids: point them at the new ones (or at none).
    for (const node of order) {
      if (!node.keyMemory.some((e) => e.sourceNode !== null)) continue;
      const keyMemory = node.keyMemory.map((e) => ({ ...e, sourceNode: e.sourceNode === null ? null : (ids.get(e.sourceNode) ?? null) }));
      const state = JSON.stringify({ shortMemory: node.shortMemory, plans: node.plans, keyMemory, stats: node.stats });
      db.run('UPDATE nodes SET state = ? WHERE id = ?', [state, ids.get(node.id) ?? null]);
    }
    db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [ids.get(archive.currentNodeId) ?? null, storyId]);
    archive.facts.forEach((fact, position) => {
      const { text, fromNodeId } = typeof fact === 'string' ? { text: fact, fromNodeId: null } : fact;
      const from = fromNodeId === null ? null : ids.get(fromNodeId);
      if (from === undefined) throw new LongtaleError('INVALID_INPUT', `A pinned fact holds from passage ${fromNodeId}, which the file does not have.`);
      db.run('INSERT INTO facts (story_id, text, position, created_at, from_node_id) VALUES (?, ?, ?, ?, ?)', [storyId, text, position, story.updatedAt, from]);
    });
    (archive.checks ?? []).forEach(({ question, answer }, position) => {
      db.run('INSERT INTO saved_checks (story_id, question, answer, position, created_at) VALUES (?, ?, ?, ?, ?)', [storyId, question, answer, position, story.updatedAt]);
    });
    return storyId;
  });
}

/** Parents before children; throws INVALID_INPUT on a duplicate id, a missing parent, a cycle or no current node. */
function treeOrder(archive: StoryArchive): StoryArchive['nodes'] {
  const byId = new Map<number, StoryArchive['nodes'][number]>();
  for (const node of archive.nodes) {
    if (byId.has(node.id)) throw new LongtaleError('INVALID_INPUT', `The file has two nodes with id ${node.id}.`);
    byId.set(node.id, node);
  }
  if (!byId.has(archive.currentNodeId)) {
    throw new LongtaleError('INVALID_INPUT', `The current node ${archive.currentNodeId} is not in the file.`);
  }
  const children = new Map<number | null, StoryArchive['nodes']>();
  for (const node of archive.nodes) {
    if (node.parentId !== null && !byId.has(node.parentId)) {
      throw new LongtaleError('INVALID_INPUT', `Node ${node.id} names a parent (${node.parentId}) that is not in the file.`);
    }
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const ordered: StoryArchive['nodes'] = [];
  ordered.push(...(children.get(null) ?? []));
  for (let i = 0; i < ordered.length; i++) ordered.push(...(children.get((ordered[i] as StoryArchive['nodes'][number]).id) ?? []));
  if (ordered.length !== archive.nodes.length) {
    throw new LongtaleError('INVALID_INPUT', 'Some nodes of the file are in a cycle and never reach a first passage.');
  }
  return ordered;
}
