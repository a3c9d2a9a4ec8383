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
