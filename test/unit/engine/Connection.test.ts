import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../electron/contract/index.js';
import { Connection } from '../../../electron/engine/Connection.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const PASSAGE = 'The lamp went out. Mara counted the waves until dawn. ';
const engines: Engine[] = [];

interface Control {
  cancel(): void;
  close(): void;
}

function connect(options: { onWord?: (i: number, control: Control) => void } = {}) {
  const loader = new ScriptedLoader(() => new ScriptedModel(passagesInTurn([PASSAGE, PASSAGE])));
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test' });
  engines.push(engine);
  const sent: ServerMessage[] = [];
  const connection = new Connection(engine, (m) => sent.push(m));
  const control: Control = {
    cancel: () => connection.receive({ type: 'cancel', id: 1 }),
    close: () => connection.close(),
  };
  loader.onModel = (model) => (model.onWord = (i) => options.onWord?.(i, control));
  /** Resolves with the final message (result or error) for `id`. */
  const settled = (id: number) =>
    new Promise<ServerMessage>((resolve) => {
      const poll = () => {
        const done = sent.find((m) => m.id === id && m.type !== 'event');
        if (done) resolve(done);
        else setTimeout(poll, 1);
      };
      poll();
    });
  return { engine, connection, sent, settled };
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

describe('Connection', () => {
  it('answers only once what was committed is on disk', async () => {
    const { engine, connection, sent, settled } = connect();
    let release!: () => void;
    const onDisk = new Promise<void>((resolve) => (release = resolve));
    engine.durable = () => onDisk;
    connection.receive({ type: 'call', id: 1, method: 'stories.list', params: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent.some((m) => m.id === 1 && m.type === 'result')).toBe(false);
    release();
    expect((await settled(1)).type).toBe('result');
  });

  it('answers a call with its result', async () => {
    const { connection, settled } = connect();
    connection.receive(JSON.stringify({ type: 'call', id: 7, method: 'stories.list', params: {} }));
    expect(await settled(7)).toEqual({ type: 'result', id: 7, result: [] });
  });

  it('accepts structured messages as a MessagePort delivers them', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 1, method: 'engine.status', params: {} });
    expect(await settled(1)).toMatchObject({ type: 'result', result: { version: 'test' } });
  });

  it('streams events before the result of a story', async () => {
    const { connection, sent, settled } = connect();
    connection.receive({ type: 'call', id: 1, method: 'stories.create', params: { premise: 'A storm' } });
    const final = await settled(1);
    expect(final.type).toBe('result');
    const tokens = sent.flatMap((m) => (m.type === 'event' && m.event.kind === 'token' ? [m.event.text] : []));
    expect(tokens.join('')).toBe(PASSAGE);
    expect(sent.at(-1)).toBe(final);
  });

  it.each([
    ['not JSON', '{nope', null],
    ['a JSON array', '[]', null],
    ['an unknown message type', { type: 'subscribe', id: 3 }, 3],
    ['extra envelope fields', { type: 'call', id: 4, method: 'stories.list', params: {}, admin: true }, 4],
    ['a negative id', { type: 'call', id: -1, method: 'stories.list', params: {} }, null],
    ['a non-string method', { type: 'call', id: 5, method: 42, params: {} }, 5],
    ['null', null, null],
    ['a huge string', 'x'.repeat(1_000_001), null],
  ])('refuses %s with BAD_REQUEST', async (_name, raw, id) => {
    const { connection, sent } = connect();
    connection.receive(raw);
    expect(sent).toEqual([{ type: 'error', id, error: { code: 'BAD_REQUEST', message: expect.any(String) } }]);
  });

  it('refuses an unknown method', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 2, method: 'stories.drop', params: {} });
    expect(await settled(2)).toMatchObject({ type: 'error', error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses a method inherited from Object.prototype', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 2, method: 'constructor', params: {} });
    expect(await settled(2)).toMatchObject({ type: 'error', error: { code: 'UNKNOWN_METHOD' } });
  });

  it.each([
    ['an empty premise', 'stories.create', { premise: '   ' }],
    ['a premise over 20,000 characters', 'stories.create', { premise: 'a'.repeat(20_001) }],
    ['unknown params', 'stories.list', { all: true }],
    ['a story id that is not a positive integer', 'stories.open', { storyId: 1.5 }],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_name, method, params) => {
    const { connection, settled, engine } = connect();
    connection.receive({ type: 'call', id: 9, method, params });
    expect(await settled(9)).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
    expect(engine.stories.list()).toEqual([]);
  });

  it('maps an unknown story to STORY_NOT_FOUND', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 3, method: 'stories.open', params: { storyId: 99 } });
    expect(await settled(3)).toMatchObject({ error: { code: 'STORY_NOT_FOUND' } });
  });

  it('cancels a call by id, leaving no story', async () => {
    const { connection, settled, engine } = connect({ onWord: (i, control) => i === 2 && control.cancel() });
    connection.receive({ type: 'call', id: 1, method: 'stories.create', params: { premise: 'A storm' } });
    expect(await settled(1)).toMatchObject({ type: 'error', error: { code: 'CANCELLED' } });
    expect(engine.stories.list()).toEqual([]);
  });

  it('refuses a second call with an id still running', async () => {
    const { connection, settled, sent } = connect();
    connection.receive({ type: 'call', id: 1, method: 'stories.create', params: { premise: 'A storm' } });
    connection.receive({ type: 'call', id: 1, method: 'stories.list', params: {} });
    expect(sent.find((m) => m.type === 'error')).toMatchObject({ id: 1, error: { code: 'BAD_REQUEST' } });
    expect(await settled(1)).toMatchObject({ type: 'error' });
    // The story call still completes; its result follows.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.some((m) => m.type === 'result' && m.id === 1)).toBe(true);
  });

  it('closing cancels running calls and sends nothing more', async () => {
    let count = -1;
    const { connection, sent, engine } = connect({
      onWord: (i, control) => {
        if (i !== 2) return;
        control.close();
        count = sent.length;
      },
    });
    connection.receive({ type: 'call', id: 1, method: 'stories.create', params: { premise: 'A storm' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count).toBeGreaterThan(0);
    expect(sent.length).toBe(count);
    expect(engine.stories.list()).toEqual([]);
  });
});
