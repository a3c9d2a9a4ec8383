import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const PASSAGE = 'The lamp went out. Mara counted the waves until dawn. ';
const dirs: string[] = [];
const engines: Engine[] = [];

function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-engine-'));
  dirs.push(dir);
  return path.join(dir, 'stories.db');
}

function open(options: { dbPath?: string; modelPath?: string; script?: string[]; passageTokens?: number } = {}) {
  const models: ScriptedModel[] = [];
  const loader = new ScriptedLoader(() => {
    const model = new ScriptedModel(passagesInTurn(options.script ?? [PASSAGE]));
    models.push(model);
    return model;
  });
  const engine = Engine.open({
    dbPath: options.dbPath ?? tempDb(),
    modelPath: options.modelPath,
    loader,
    version: 'test',
    generation: { passageTokens: options.passageTokens },
  });
  engines.push(engine);
  return { engine, loader, models };
}

function call(signal = new AbortController().signal) {
  const events: CallEvent[] = [];
  return { events, context: { signal, emit: (event: CallEvent) => events.push(event) } };
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Engine', () => {
  it('reports no model when none is configured, and refuses to write', async () => {
    const { engine } = open();
    expect(engine.status().model).toEqual({ state: 'none' });
    await expect(engine.stories.create({ premise: 'A storm' }, call().context)).rejects.toMatchObject({ code: 'NO_MODEL' });
    expect(engine.stories.list()).toEqual([]);
  });

  it('writes the opening, streaming it, and stores the story', async () => {
    const { engine, models } = open({ modelPath: '/models/a.gguf' });
    const { events, context } = call();
    const view = await engine.stories.create({ premise: 'A lighthouse keeper at the end of the world' }, context);

    const streamed = events.flatMap((e) => (e.kind === 'token' ? [e.text] : [])).join('');
    expect(streamed).toBe(PASSAGE);
    expect(events.flatMap((e) => (e.kind === 'phase' ? [e.phase] : []))).toEqual([
      'loading-model',
      'planning',
      'writing',
      'remembering',
      'saving',
    ]);
    expect(view.story.title).toBe('The Harbour');
    expect(view.story.outline).toBe('Mara waits for the boats.');
    expect(view.path[0]?.plans).toHaveLength(3);
    expect(view.path).toHaveLength(1);
    expect(view.path[0]?.passage).toBe(PASSAGE.trim());
    expect(models[0]?.prompts[0]).toContain('A lighthouse keeper at the end of the world');
    expect(engine.stories.list().map((s) => s.id)).toEqual([view.story.id]);
    expect(engine.stories.open(view.story.id)).toEqual(view);
  });

  it('leaves nothing behind when the opening is cancelled mid-stream', async () => {
    const controller = new AbortController();
    const { engine, loader } = open({ modelPath: '/models/a.gguf' });
    loader.onModel = (model) => (model.onWord = (i) => (i >= 3 ? controller.abort() : undefined));
    const { events, context } = call(controller.signal);
    await expect(engine.stories.create({ premise: 'A storm' }, context)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(3);
    expect(engine.stories.list()).toEqual([]);
  });

  it('refuses a model that writes nothing (asked twice), storing nothing', async () => {
    const { engine } = open({ modelPath: '/models/a.gguf', script: ['   ', ''] });
    await expect(engine.stories.create({ premise: 'A storm' }, call().context)).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
    });
    expect(engine.stories.list()).toEqual([]);
  });

  it('keeps the title the author gave', async () => {
    const { engine } = open({ modelPath: '/models/a.gguf' });
    const view = await engine.stories.create({ premise: 'A storm', title: 'Salt' }, call().context);
    expect(view.story.title).toBe('Salt');
  });

  it('trims a passage cut off by the length limit to its last full sentence', async () => {
    // The smallest passage budget is 16 tokens (words, for the scripted model).
    const script = ['One two three four five six. Seven eight nine ten eleven twelve. Thirteen fourteen fifteen sixteen seventeen'];
    const { engine } = open({ modelPath: '/models/a.gguf', script, passageTokens: 16 });
    const view = await engine.stories.create({ premise: 'A storm' }, call().context);
    expect(view.path[0]?.passage).toBe('One two three four five six. Seven eight nine ten eleven twelve.');
  });

  it('refuses a bad model path before touching the current model or the saved setting', async () => {
    const dbPath = tempDb();
    const first = open({ dbPath });
    await first.engine.openModel('/models/good.gguf');
    await expect(first.engine.openModel('/models/notes.txt')).rejects.toMatchObject({ code: 'MODEL_NOT_GGUF' });
    expect(first.engine.status().model).toMatchObject({ state: 'ready', path: '/models/good.gguf' });
    expect(first.models[0]?.disposed).toBe(false);
    await first.engine.dispose();

    const second = open({ dbPath });
    expect(second.engine.status().model).toEqual({ state: 'configured', path: '/models/good.gguf' });
  });

  it('remembers the last model that loaded; a model named at start-up wins over it', async () => {
    const dbPath = tempDb();
    const first = open({ dbPath, modelPath: '/models/a.gguf' });
    await first.engine.stories.create({ premise: 'A storm' }, call().context);
    await first.engine.dispose();

    expect(open({ dbPath }).engine.status().model).toEqual({ state: 'configured', path: '/models/a.gguf' });
    expect(open({ dbPath, modelPath: '/models/b.gguf' }).engine.status().model).toEqual({
      state: 'configured',
      path: '/models/b.gguf',
    });
  });

  it('switching models disposes the old one', async () => {
    const { engine, models } = open({ modelPath: '/models/a.gguf' });
    await engine.stories.create({ premise: 'A storm' }, call().context);
    await engine.openModel('/models/b.gguf');
    expect(models[0]?.disposed).toBe(true);
    expect(engine.status().model).toMatchObject({ state: 'ready', path: '/models/b.gguf' });
  });

  it('shows a load failure as the model status', async () => {
    const { engine } = open({ modelPath: '/models/broken.txt' });
    await expect(engine.stories.create({ premise: 'A storm' }, call().context)).rejects.toMatchObject({
      code: 'MODEL_NOT_GGUF',
    });
    expect(engine.status().model).toMatchObject({ state: 'error', code: 'MODEL_NOT_GGUF', path: '/models/broken.txt' });
  });

  it('stories survive closing and reopening the database', async () => {
    const dbPath = tempDb();
    const first = open({ dbPath, modelPath: '/models/a.gguf' });
    const view = await first.engine.stories.create({ premise: 'A storm' }, call().context);
    await first.engine.dispose();
    expect(open({ dbPath }).engine.stories.open(view.story.id)).toEqual(view);
  });
});
