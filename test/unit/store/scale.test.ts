import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { nodeRecord, ZERO_STATS } from './nodeRecord.js';

const LENGTH = 2_000;

// Correctness at a realistic length only: how fast `open` is belongs in a benchmark, not in a test that a slow
// machine could fail.
describe('a 2,000-passage story', () => {
  let store: Store;

  beforeEach(() => {
    store = openStore(':memory:');
  });

  afterEach(() => {
    store.dispose();
  });

  /**
   * A chain of LENGTH nodes with full state, plus a dead-end retry every hundred steps so the path is not the
   * whole tree. Inserted directly in one transaction: going through addNode would read the whole growing path
   * back on every insert.
   */
  function buildChain(passage: (i: number) => string): { storyId: number; ids: number[]; retries: number } {
    return store.db.transaction(() => {
      const root = store.stories.create({ title: 'Long', premise: 'p', root: nodeRecord(passage(0)) });
      const storyId = root.story.id;
      const ids = [root.currentNodeId];
      let retries = 0;
      const insert = (parentId: number, text: string, order: number, i: number) =>
        Number(
          store.db.run(
            `INSERT INTO nodes (story_id, parent_id, sibling_order, passage, word_count, summary, instruction, state, created_at)
             VALUES (?, ?, ?, ?, 2, ?, ?, ?, ?)`,
            [
              storyId,
              parentId,
              order,
              text,
              `summary ${i}`,
              JSON.stringify({ kind: 'plan', text: `plan ${i}` }),
              JSON.stringify({ shortMemory: `memory ${i}`, plans: [{ label: 'l', text: 't' }], keyMemory: [], stats: ZERO_STATS }),
              i,
            ],
          ).lastInsertRowid,
        );
      for (let i = 1; i < LENGTH; i++) {
        const parent = ids.at(-1) ?? -1;
        ids.push(insert(parent, passage(i), 0, i));
        if (i % 100 === 0) {
          insert(parent, `retry ${i}`, 1, i);
          retries += 1;
        }
      }
      store.db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [ids.at(-1) ?? -1, storyId]);
      return { storyId, ids, retries };
    });
  }

  it('opens with every passage of the path in order', () => {
    const { storyId, ids, retries } = buildChain((i) => `passage ${i}`);

    const view = store.stories.open(storyId);
    expect(view.path).toHaveLength(LENGTH);
    expect(view.currentNodeId).toBe(ids.at(-1));
    expect(view.path.map((n) => n.id)).toEqual(ids);
    expect(view.path.map((n) => n.passage)).toEqual(ids.map((_, i) => `passage ${i}`));
    expect(view.path[0]?.parentId).toBeNull();
    view.path.slice(1).forEach((n, i) => expect(n.parentId).toBe(ids[i]));
    expect(view.path[1_999]).toMatchObject({ shortMemory: 'memory 1999', instruction: { kind: 'plan', text: 'plan 1999' } });
    expect(view.path[100]).toMatchObject({ passage: 'passage 100', siblingIndex: 0, siblingCount: 2 });
    expect(view.path[101]).toMatchObject({ siblingIndex: 0, siblingCount: 1 });
    expect(view.story.passageCount).toBe(LENGTH + retries);
  });

  it('adds, undoes and redoes at the end of the path', () => {
    const { storyId, ids } = buildChain((i) => `passage ${i}`);
    const added = store.stories.addNode(storyId, ids.at(-1) ?? -1, nodeRecord('one more'));
    expect(added.path).toHaveLength(LENGTH + 1);
    expect(store.stories.undo(storyId).path).toHaveLength(LENGTH);
    expect(store.stories.redo(storyId).currentNodeId).toBe(added.currentNodeId);
  });

  it('retrieves from the far end of the path', () => {
    const { storyId, ids } = buildChain((i) => (i === 0 ? 'The lighthouse keeper buried a brass key.' : `Waves, day ${i}.`));
    const hits = store.passages.search(storyId, ids.at(-1) ?? -1, 'Where is the brass key?');
    expect(hits.map((h) => h.passage)).toEqual(['The lighthouse keeper buried a brass key.']);
  });
});
