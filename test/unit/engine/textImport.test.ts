import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

function open() {
  const loader = new ScriptedLoader();
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1, passageTokens: 30 } });
  engines.push(engine);
  return { engine, loader };
}

const TEXT = [
  '# The Salt Road',
  'Mara left at dawn. The road was white with salt and the wind came off the flats.',
  'By noon the wells were dry, and she drank the last of the water from her flask.',
  'Chapter 2',
  'Night came down fast. A light moved on the ridge, and she walked toward it.',
].join('\n\n');

describe('a story from the author’s own text', () => {
  it('cuts the text into passages, then reads each in order to build its memory and plans, reporting progress', async () => {
    const { engine } = open();
    const events: CallEvent[] = [];
    const view = await engine.stories.texts.create({ text: TEXT }, { signal: new AbortController().signal, emit: (e) => void events.push(e) });

    expect(view.story.title).toBe('The Salt Road');
    expect(view.story.premise).toBe('Mara left at dawn. The road was white with salt and the wind came off the flats.');
    const path = engine.stories.open(view.story.id).path;
    expect(path.map((n) => n.passage).join(' ')).toBe(TEXT.split('\n\n').filter((p) => !/^(#|Chapter)/u.test(p)).join(' '));
    expect(path.length).toBeGreaterThanOrEqual(3); // the chapter heading starts a passage of its own
    expect(path.map((n) => n.instruction.kind)).toEqual(['opening', ...path.slice(1).map(() => 'plan')]);
    // Every passage was read: fresh state from the one before, plans to go on with.
    expect(path.every((n) => !n.stale && n.plans.length === 3 && n.shortMemory.length > 0)).toBe(true);
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.map((e) => [e.passages, e.targetPassages])).toEqual(path.map((_, i) => [i + 1, path.length]));
  });

  it('stopped part-way keeps the text: what was read is fresh, the rest stale for recompute to finish', async () => {
    const { engine } = open();
    const controller = new AbortController();
    const view = await engine.stories.texts.create(
      { text: TEXT, title: 'Salt', premise: 'A walk across the salt flats.' },
      { signal: controller.signal, emit: (e) => (e.kind === 'progress' ? controller.abort() : undefined) },
    );
    expect(view.story).toMatchObject({ title: 'Salt', premise: 'A walk across the salt flats.' });
    const path = engine.stories.open(view.story.id).path;
    expect(path.map((n) => n.stale)).toEqual([false, ...path.slice(1).map(() => true)]);
    const finished = await engine.stories.recompute(view.story.id, path[1]!.id, { signal: new AbortController().signal, emit: () => undefined });
    expect(finished.path.every((n) => !n.stale)).toBe(true);
  });

  it('refuses a text with no prose, writing nothing', async () => {
    const { engine } = open();
    const call = { signal: new AbortController().signal, emit: () => undefined };
    await expect(engine.stories.texts.create({ text: '# Only\n\nChapter 1' }, call)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('no prose') });
    expect(engine.stories.list()).toEqual([]);
  });
});
