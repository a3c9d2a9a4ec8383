import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../electron/contract/index.js';
import { Connection } from '../../../electron/engine/Connection.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { openStore } from '../../../electron/store/openStore.js';
import type { GenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

const dirs: string[] = [];
const engines: Engine[] = [];

function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-settings-'));
  dirs.push(dir);
  return path.join(dir, 'stories.db');
}

function connect(dbPath: string, generation?: Partial<GenerationSettings>) {
  const loader = new ScriptedLoader();
  const engine = Engine.open({ dbPath, modelPath: '/m.gguf', loader, version: 'test', generation });
  engines.push(engine);
  const sent: ServerMessage[] = [];
  const connection = new Connection(engine, (m) => sent.push(m));
  let next = 1;
  /** Sends one call and resolves with its final message. */
  const call = (method: string, params: unknown) => {
    const id = next++;
    connection.receive({ type: 'call', id, method, params });
    return new Promise<ServerMessage>((resolve) => {
      const poll = () => {
        const done = sent.find((m) => m.id === id && m.type !== 'event');
        if (done) resolve(done);
        else setTimeout(poll, 1);
      };
      poll();
    });
  };
  return { engine, loader, call };
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings API', () => {
  it('reports the effective settings with their defaults and bounds', async () => {
    const { call } = connect(tempDb());
    const answer = await call('settings.get', {});
    expect(answer).toMatchObject({
      type: 'result',
      result: {
        settings: { passageTokens: 400, temperature: 0.8, topP: 0.95, topK: 40, decayCanon: 1, decayPlot: 0.9, memoryThreshold: 0.2 },
        bounds: { passageTokens: { min: 16, max: 2000, integer: true }, temperature: { min: 0, max: 2 } },
      },
    });
  });

  it('refuses out-of-range, fractional and unknown values with a coded error naming the key, changing nothing', async () => {
    const { call } = connect(tempDb());
    for (const [params, key] of [
      [{ temperature: 7 }, 'temperature'],
      [{ passageTokens: 12.5 }, 'passageTokens'],
      [{ decayPlot: -0.1 }, 'decayPlot'],
      [{ memoryBudgetShare: '0.2' }, 'memoryBudgetShare'],
      [{ topp: 0.5 }, 'topp'],
    ] as const) {
      const answer = await call('settings.update', params);
      expect(answer.type).toBe('error');
      if (answer.type !== 'error') continue;
      expect(answer.error.code).toBe('INVALID_INPUT');
      expect(answer.error.message).toContain(key);
    }
    expect(await call('settings.get', {})).toMatchObject({ result: { settings: { temperature: 0.8, passageTokens: 400, decayPlot: 0.9 } } });
  });

  it('applies a change to the next step: the passage is asked for with the new length and sampling', async () => {
    const { call, loader } = connect(tempDb());
    const created = await call('stories.create', { premise: 'A storm' });
    if (created.type !== 'result') throw new Error(JSON.stringify(created));
    const storyId = (created.result as { story: { id: number } }).story.id;
    const updated = await call('settings.update', { passageTokens: 60, temperature: 0.3, topK: 0, decayChatter: 0.5 });
    expect(updated).toMatchObject({ result: { settings: { passageTokens: 60, temperature: 0.3, topK: 0, decayChatter: 0.5 } } });

    const model = loader.models[0];
    if (!model) throw new Error('no model');
    const before = model.requests.length;
    expect(await call('stories.step', { storyId, input: { choice: 1 } })).toMatchObject({ type: 'result' });
    const passage = model.requests.slice(before).find((r) => r.kind === 'text');
    expect(passage?.options).toMatchObject({ maxTokens: 60, temperature: 0.3, topK: 0, topP: 0.95 });
  });

  it('saves changes for the next run; a value the engine is started with wins for that run; reset forgets', async () => {
    const db = tempDb();
    const first = connect(db);
    await first.call('settings.update', { temperature: 1.1, passageTokens: 120 });
    await first.engine.dispose();
    engines.splice(engines.indexOf(first.engine), 1);

    const second = connect(db, { passageTokens: 48 });
    expect(await second.call('settings.get', {})).toMatchObject({
      result: { settings: { temperature: 1.1, passageTokens: 48 }, defaults: { temperature: 0.8, passageTokens: 48 } },
    });
    expect(await second.call('settings.reset', {})).toMatchObject({ result: { settings: { temperature: 0.8, passageTokens: 48 } } });
    await second.engine.dispose();
    engines.splice(engines.indexOf(second.engine), 1);

    const third = connect(db);
    expect(await third.call('settings.get', {})).toMatchObject({ result: { settings: { temperature: 0.8, passageTokens: 400 } } });
  });

  it('keeps each saved value that is still valid and drops the rest (a hand-edited or older database)', async () => {
    const db = tempDb();
    for (const saved of ['{"temperature": 9, "topK": 10, "warmth": 1}', 'not json']) {
      const store = openStore(db);
      store.settings.set('generation.settings', saved);
      store.dispose();
      const { engine, call } = connect(db);
      const answer = await call('settings.get', {});
      expect(answer).toMatchObject({ result: { settings: { temperature: 0.8, topK: saved === 'not json' ? 40 : 10 } } });
      await engine.dispose();
      engines.splice(engines.indexOf(engine), 1);
    }
  });
});

describe('a story’s own settings', () => {
  /** A story created through the API, and a function that steps it and returns the passage request's options. */
  async function story(call: ReturnType<typeof connect>['call'], loader: ScriptedLoader, premise: string) {
    const created = await call('stories.create', { premise });
    if (created.type !== 'result') throw new Error(JSON.stringify(created));
    const storyId = (created.result as { story: { id: number } }).story.id;
    const step = async () => {
      const model = loader.models[0];
      const before = model?.requests.length ?? 0;
      const stepped = await call('stories.step', { storyId, input: { choice: 1 } });
      expect(stepped.type).toBe('result');
      return model?.requests.slice(before).find((r) => r.kind === 'text')?.options;
    };
    return { storyId, step };
  }

  it('win over the app’s for that story only; every key it does not set follows the app, changes included', async () => {
    const { call, loader } = connect(tempDb());
    const play = await story(call, loader, 'A maze');
    const novel = await story(call, loader, 'A long war');

    expect(await call('stories.settings', { storyId: play.storyId })).toMatchObject({ result: { own: {}, settings: { passageTokens: 400 } } });
    const set = await call('stories.setSettings', { storyId: play.storyId, own: { passageTokens: 90, temperature: 1.2 } });
    expect(set).toMatchObject({ result: { own: { passageTokens: 90, temperature: 1.2 }, settings: { passageTokens: 90, temperature: 1.2, topK: 40 }, app: { passageTokens: 400 } } });
    await call('settings.update', { topK: 12, passageTokens: 300 });

    expect(await play.step()).toMatchObject({ maxTokens: 90, temperature: 1.2, topK: 12 });
    expect(await novel.step()).toMatchObject({ maxTokens: 300, temperature: 0.8, topK: 12 });
    const view = await call('stories.open', { storyId: play.storyId });
    // The node records what it was written with: the story's values.
    expect(view).toMatchObject({ result: { path: [{}, { stats: { settings: { passageTokens: 90, temperature: 1.2, topK: 12 } } }] } });

    // {} follows the app again.
    expect(await call('stories.setSettings', { storyId: play.storyId, own: {} })).toMatchObject({ result: { own: {}, settings: { passageTokens: 300 } } });
    expect(await play.step()).toMatchObject({ maxTokens: 300, temperature: 0.8 });
  });

  it('can be given with a new story: its opening is written with them, and they are its own from then on', async () => {
    const { call, loader } = connect(tempDb());
    const created = await call('stories.create', { premise: 'A maze', settings: { passageTokens: 160 } });
    if (created.type !== 'result') throw new Error(JSON.stringify(created));
    const storyId = (created.result as { story: { id: number } }).story.id;
    expect(loader.models[0]?.requests.find((r) => r.kind === 'text')?.options).toMatchObject({ maxTokens: 160 });
    expect(await call('stories.settings', { storyId })).toMatchObject({ result: { own: { passageTokens: 160 } } });
    expect(await call('stories.create', { premise: 'A maze', settings: { passageTokens: 5 } })).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
  });

  it('refuses out-of-range and unknown values and a story that does not exist, changing nothing', async () => {
    const { call, loader } = connect(tempDb());
    const { storyId } = await story(call, loader, 'A maze');
    await call('stories.setSettings', { storyId, own: { passageTokens: 90 } });
    for (const [params, code, says] of [
      [{ storyId, own: { temperature: 7 } }, 'INVALID_INPUT', 'temperature'],
      [{ storyId, own: { warmth: 1 } }, 'INVALID_INPUT', 'warmth'],
      [{ storyId, own: { passageTokens: 'long' } }, 'INVALID_INPUT', 'passageTokens'],
      [{ storyId: 999, own: {} }, 'STORY_NOT_FOUND', '999'],
    ] as const) {
      const answer = await call('stories.setSettings', params);
      expect(answer).toMatchObject({ type: 'error', error: { code } });
      if (answer.type === 'error') expect(answer.error.message).toContain(says);
    }
    expect(await call('stories.settings', { storyId })).toMatchObject({ result: { own: { passageTokens: 90 } } });
  });

  it('phrases to avoid: the app’s reach every story’s passages, a story’s only its own; each once, trimmed', async () => {
    const { call, loader } = connect(tempDb());
    const maze = await story(call, loader, 'A maze');
    const war = await story(call, loader, 'A long war');
    expect(await call('settings.setAvoid', { phrases: [' a chill ran ', 'a chill ran', 'testament'] })).toMatchObject({ result: { avoid: ['a chill ran', 'testament'] } });
    expect(await call('stories.setAvoid', { storyId: maze.storyId, phrases: ['the minotaur'] })).toMatchObject({
      result: { avoid: ['the minotaur'], appAvoid: ['a chill ran', 'testament'] },
    });
    expect((await maze.step())?.avoid).toEqual(['a chill ran', 'testament', 'the minotaur']);
    expect((await war.step())?.avoid).toEqual(['a chill ran', 'testament']);
    // A reset of the settings leaves the list: it is the author's, not a tuning.
    expect(await call('settings.reset', {})).toMatchObject({ result: { avoid: ['a chill ran', 'testament'] } });

    for (const [method, params, says] of [
      ['settings.setAvoid', { phrases: ['  '] }, 'phrase to avoid is empty'],
      ['stories.setAvoid', { storyId: maze.storyId, phrases: ['x'.repeat(201)] }, 'longer than 200'],
      ['stories.setAvoid', { storyId: maze.storyId, phrases: 'testament' }, 'phrases'],
    ] as const) {
      const answer = await call(method, params);
      expect(answer).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
      if (answer.type === 'error') expect(answer.error.message).toContain(says);
    }
    expect(await call('stories.settings', { storyId: maze.storyId })).toMatchObject({ result: { avoid: ['the minotaur'] } });
  });

  it('are saved with the story, and a value a hand-edited database made invalid is dropped on reading', async () => {
    const db = tempDb();
    const first = connect(db);
    const { storyId } = await story(first.call, first.loader, 'A maze');
    await first.call('stories.setSettings', { storyId, own: { passageTokens: 90, minP: 0.1 } });
    await first.engine.dispose();
    engines.splice(engines.indexOf(first.engine), 1);

    const store = openStore(db);
    store.db.run('UPDATE stories SET settings = ? WHERE id = ?', ['{"passageTokens": 90, "minP": 5, "warmth": 1}', storyId]);
    store.dispose();
    const second = connect(db);
    expect(await second.call('stories.settings', { storyId })).toMatchObject({ result: { own: { passageTokens: 90 }, settings: { minP: 0.05 } } });
  });
});
