import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCodes, type ServerMessage } from '../../../electron/contract/index.js';
import { Connection } from '../../../electron/engine/Connection.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

/** Message shapes close to real ones, so the fuzzing reaches param validation and handlers, not just JSON.parse. */
const methodNames = ['stories.create', 'stories.step', 'stories.open', 'facts.add', 'nodes.editPassage', 'stories.import', 'model.open', 'x', ''];
const nearMiss = fc.record(
  {
    type: fc.constantFrom('call', 'cancel', 'result', 'CALL', ''),
    id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    method: fc.oneof(fc.constantFrom(...methodNames), fc.string()),
    params: fc.oneof(fc.jsonValue(), fc.object(), fc.record({ storyId: fc.anything(), premise: fc.anything(), input: fc.anything(), text: fc.anything() })),
  },
  { requiredKeys: [] },
);

describe('R2: hostile protocol messages', () => {
  it('10,000 generated messages: no crash, a coded error for each bad one, nothing written', async () => {
    const loader = new ScriptedLoader();
    const engine = Engine.open({ dbPath: ':memory:', loader, version: 'test' }); // no model: nothing can be written
    const sent: ServerMessage[] = [];
    const connection = new Connection(engine, (m) => sent.push(m));
    const messages = fc.sample(fc.oneof(nearMiss, nearMiss.map((m) => JSON.stringify(m)), fc.string(), fc.jsonValue(), fc.anything()), 10_000);
    for (const message of messages) connection.receive(message);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const errors = sent.filter((m) => m.type === 'error');
    expect(errors.length).toBeGreaterThan(9_000);
    for (const error of errors) expect(Object.keys(errorCodes)).toContain(error.type === 'error' ? error.error.code : '');
    expect(errors.every((e) => e.type === 'error' && e.error.code !== 'INTERNAL')).toBe(true);
    expect(engine.stories.list()).toEqual([]);
    expect(loader.loaded).toEqual([]);
    connection.close();
    await engine.dispose();
  });
});
