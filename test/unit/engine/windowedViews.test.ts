import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyntheticText } from '../../../electron/bench/syntheticNode.js';
import { writeSyntheticStory } from '../../../electron/bench/syntheticStory.js';
import type { ServerMessage, StoryView } from '../../../electron/contract/index.js';
import { Connection } from '../../../electron/engine/Connection.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { ModelHost } from '../../../electron/engine/ModelHost.js';
import { StoryService } from '../../../electron/engine/StoryService.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { openStore } from '../../../electron/store/openStore.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

/** A long story travels as the end of its path plus ranges asked for, over a real database. */
describe('windowed views', () => {
  let dir: string;
  let engine: Engine;
  let storyId: number;
  let call: (method: string, params: unknown) => Promise<ServerMessage>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-window-'));
    const dbPath = path.join(dir, 'stories.db');
    const store = openStore(dbPath);
    storyId = store.db.transaction(() => writeSyntheticStory(store, { nodes: 300, text: new SyntheticText(2) })).storyId;
    store.dispose();
    engine = Engine.open({ dbPath, modelPath: '/m.gguf', loader: new ScriptedLoader(() => new ScriptedModel(passagesInTurn(['The tide came in. ']))), version: 'test' });
    const sent: ServerMessage[] = [];
    const connection = new Connection(engine, (m) => sent.push(m));
    let id = 0;
    call = (method, params) => {
      const mine = ++id;
      connection.receive({ type: 'call', id: mine, method, params });
      return new Promise((resolve) => {
        const poll = () => {
          const done = sent.find((m) => m.id === mine && m.type !== 'event');
          if (done) resolve(done);
          else setTimeout(poll, 1);
        };
        poll();
      });
    };
  });

  afterEach(async () => {
    await engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const result = <T>(message: ServerMessage): T => {
    if (message.type !== 'result') throw new Error(JSON.stringify(message));
    return message.result as T;
  };

  it('opens with the last `window` nodes and where they start; without a window, whole', async () => {
    const windowed = result<StoryView>(await call('stories.open', { storyId, window: 40 }));
    expect(windowed.path).toHaveLength(40);
    expect(windowed.pathStart).toBe(260);
    expect(windowed.path.at(-1)?.passage).toMatch(/^Passage 299\./);
    expect(windowed.path[0]?.passage).toMatch(/^Passage 260\./);
    const whole = result<StoryView>(await call('stories.open', { storyId }));
    expect(whole.path).toHaveLength(300);
    expect(whole.pathStart).toBeUndefined();
  });

  it('gives any range of the path, and refuses a node of another story or too wide a range', async () => {
    const { currentNodeId } = result<StoryView>(await call('stories.open', { storyId, window: 1 }));
    const range = result<{ start: number; nodes: { passage: string }[] }>(
      await call('stories.path', { storyId, nodeId: currentNodeId, start: 100, end: 200 }),
    );
    expect(range.start).toBe(100);
    expect(range.nodes.map((n) => n.passage.split('.')[0])).toEqual(Array.from({ length: 100 }, (_, i) => `Passage ${100 + i}`));
    expect(await call('stories.path', { storyId: storyId + 1, nodeId: currentNodeId, start: 0, end: 10 })).toMatchObject({
      type: 'error',
      error: { code: 'STORY_NOT_FOUND' },
    });
    expect(await call('stories.path', { storyId, nodeId: currentNodeId, start: 0, end: 2000 })).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('windows the views that change the story too', async () => {
    const undone = result<StoryView>(await call('stories.undo', { storyId, window: 5 }));
    expect(undone.pathStart).toBe(294);
    expect(undone.path.at(-1)?.passage).toMatch(/^Passage 298\./);
    const stepped = result<StoryView>(await call('stories.step', { storyId, input: { choice: 1 }, window: 5 }));
    // Written after Passage 298, where undo left the story: a sibling of Passage 299.
    expect(stepped.pathStart).toBe(295);
    expect(stepped.path.slice(0, 4).map((n) => n.passage.split('.')[0])).toEqual(['Passage 295', 'Passage 296', 'Passage 297', 'Passage 298']);
    expect(stepped.path.at(-1)?.passage).toBe('The tide came in.');
  });

  it('a windowed step after a cold windowed open reads no node before the window', async () => {
    // A second connection on the same file, so its cache starts cold (the engine's is not involved).
    const store = openStore(path.join(dir, 'stories.db'));
    try {
      const loader = new ScriptedLoader(() => new ScriptedModel(passagesInTurn(['The tide turned. '])));
      const service = new StoryService(store, new ModelHost(loader, store.settings, '/m.gguf'), { ...defaultGenerationSettings, seed: 1 });
      const rootId = store.db.get<{ id: number }>('SELECT id FROM nodes WHERE story_id = ? AND parent_id IS NULL', [storyId])?.id ?? -1;
      service.open(storyId, undefined, 5);
      const stepped = await service.step(storyId, undefined, { choice: 1 }, { emit: () => undefined, signal: new AbortController().signal }, 5);
      expect(stepped.pathStart).toBe(296);
      expect(stepped.path.at(-1)?.passage).toBe('The tide turned.');
      // Changed behind the cache's back: only a node never read shows the change, so the root was not read.
      store.db.run("UPDATE nodes SET passage = 'Changed.' WHERE id = ?", [rootId]);
      expect(store.stories.open(storyId).path[0]?.passage).toBe('Changed.');
      // And the check can tell: once read, the cached root no longer shows a change made behind its back.
      store.db.run("UPDATE nodes SET passage = 'Changed again.' WHERE id = ?", [rootId]);
      expect(store.stories.open(storyId).path[0]?.passage).toBe('Changed.');
    } finally {
      store.dispose();
    }
  });
});
