import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { decodeSurprisal, encodeSurprisal } from '../../../electron/store/surprisalBlob.js';
import { memoryEntry, nodeRecord } from './nodeRecord.js';

describe('surprisal blob', () => {
  it('stores each value in two bytes to a thousandth of a nat, clamping what does not fit', () => {
    expect(encodeSurprisal([0, 1.2345, 65.535]).length).toBe(6);
    expect(decodeSurprisal(encodeSurprisal([0, 1.2345, 65.535]))).toEqual([0, 1.235, 65.535]);
    expect(decodeSurprisal(encodeSurprisal([-1, 80, Number.NaN, Infinity]))).toEqual([0, 65.535, 65.535, 65.535]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 65, noNaN: true })), (values) => {
        decodeSurprisal(encodeSurprisal(values)).forEach((v, i) => expect(Math.abs(v - (values[i] ?? 0))).toBeLessThanOrEqual(0.0005 + 1e-9));
      }),
    );
  });
});

describe('StoryStore: token surprisal and memory sources', () => {
  let store: Store;

  beforeEach(() => {
    store = openStore(':memory:');
  });

  afterEach(() => {
    store.dispose();
  });

  const tokens = [
    { text: 'The', surprisal: 2.5 },
    { text: ' 🐉', surprisal: 24.125 },
    { text: '', surprisal: 3 },
    { text: '龍', surprisal: 0.001 },
  ];

  it('stores a new node\'s tokens with it and gives its own memory entries the node as source', () => {
    const own = memoryEntry({ id: '0.p0', text: 'The dragon sleeps.' });
    const inherited = memoryEntry({ id: 'legacy', text: 'Older.', sourceNode: null });
    const view = store.stories.create({ title: 't', premise: 'p', root: nodeRecord('The 🐉龍', { tokens, keyMemory: [own, inherited], ownEntryIds: ['0.p0'] }) });
    const root = view.path[0];
    expect(store.stories.tokens(view.story.id, view.currentNodeId)).toEqual(tokens);
    expect(root?.keyMemory).toEqual([{ ...own, sourceNode: view.currentNodeId }, inherited]);

    const child = store.stories.addNode(view.story.id, view.currentNodeId, nodeRecord('Next.'));
    expect(store.stories.tokens(view.story.id, child.currentNodeId)).toEqual([]);
    expect(store.stories.depth(view.story.id, child.currentNodeId)).toBe(1);
    expect(store.stories.depth(view.story.id, view.currentNodeId)).toBe(0);
  });

  it('replaces tokens through updateState, and forgets them when the passage is edited', () => {
    const view = store.stories.create({ title: 't', premise: 'p', root: nodeRecord('Old text.', { tokens }) });
    const { id: storyId } = view.story;
    store.stories.updateState(storyId, view.currentNodeId, { tokens: [{ text: 'Old text.', surprisal: 1 }] });
    expect(store.stories.tokens(storyId, view.currentNodeId)).toEqual([{ text: 'Old text.', surprisal: 1 }]);
    store.stories.editPassage(storyId, view.currentNodeId, 'Old text.');
    expect(store.stories.tokens(storyId, view.currentNodeId)).toHaveLength(1); // unchanged text keeps them
    store.stories.editPassage(storyId, view.currentNodeId, 'New text.');
    expect(store.stories.tokens(storyId, view.currentNodeId)).toEqual([]);
  });

  it('reads a damaged tokens row as no tokens, and refuses a node of another story', () => {
    const a = store.stories.create({ title: 'a', premise: 'p', root: nodeRecord('x', { tokens }) });
    const b = store.stories.create({ title: 'b', premise: 'p', root: nodeRecord('y') });
    store.db.run(`UPDATE node_tokens SET texts = 'not json' WHERE node_id = ?`, [a.currentNodeId]);
    expect(store.stories.tokens(a.story.id, a.currentNodeId)).toEqual([]);
    expect(() => store.stories.tokens(b.story.id, a.currentNodeId)).toThrow(expect.objectContaining({ code: 'NODE_NOT_FOUND' }));
  });

  it('reads memory entries stored before ids, bases and turns existed, with stable ids and base = score', () => {
    const view = store.stories.create({ title: 't', premise: 'p', root: nodeRecord('x') });
    store.db.run('UPDATE nodes SET state = ? WHERE id = ?', [
      JSON.stringify({
        keyMemory: [
          { text: 'The lamp is old.', kind: 'canon', score: 2.5, pinned: true },
          { text: 'broken', kind: 'gossip', score: 1, pinned: false },
          { text: 'A knock.', kind: 'plot', score: 0.5, pinned: false, base: 1.5 },
        ],
        stats: { promptTokens: 3 },
      }),
      view.currentNodeId,
    ]);
    store.stories.forgetCached(); // written behind the store's back, as an older version would have left it
    const [root] = store.stories.open(view.story.id).path;
    expect(root?.keyMemory).toEqual([
      { id: 'legacy.0', text: 'The lamp is old.', kind: 'canon', score: 2.5, base: 2.5, turnAdded: 0, lastSeen: 0, pinned: true, sourceNode: null, offsets: null },
      { id: 'legacy.1', text: 'A knock.', kind: 'plot', score: 0.5, base: 1.5, turnAdded: 0, lastSeen: 0, pinned: false, sourceNode: null, offsets: null },
    ]);
    expect(root?.stats).toMatchObject({ promptTokens: 3, scoringMs: 0 });
  });
});
