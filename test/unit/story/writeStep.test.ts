import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../../electron/contract/index.js';
import { GENERIC_PLANS } from '../../../electron/story/fallbackUpdate.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import type { StepContext } from '../../../electron/story/StepContext.js';
import { MAX_ATTEMPTS } from '../../../electron/story/updateMemory.js';
import { rememberPassage, writeStep } from '../../../electron/story/writeStep.js';
import { defaultAnswer, type ScriptedAnswer, ScriptedModel, type ScriptedRequest } from '../../fixtures/ScriptedModel.js';

const settings = { ...defaultGenerationSettings, seed: 1 };

function context(instruction: Instruction = { kind: 'plan', text: 'Mara finds the missing boat.' }): StepContext {
  return {
    story: { title: 'Salt', premise: 'A harbour town loses its boats.', genre: 'mystery', style: 'Quiet, precise.', outline: 'Boats vanish.' },
    facts: ['Mara is the harbour master.'],
    previous: { passage: 'The fog came in at noon.', shortMemory: 'Three boats vanished overnight.', keyMemory: [], plans: [] },
    related: [{ passage: 'Long ago a storm took the pier.', summary: 'A storm once took the pier.' }],
    instruction,
    turn: 1,
  };
}

/** A script whose structured answers come from `json` in turn (then the default), passages from the default. */
function jsonInTurn(answers: ScriptedAnswer[]): (r: ScriptedRequest) => ScriptedAnswer {
  const queue = [...answers];
  return (request) => (request.kind === 'json' && queue.length > 0 ? (queue.shift() as ScriptedAnswer) : defaultAnswer(request));
}

describe('writeStep', () => {
  it('writes the passage, then memory, summary and three plans in a follow-up turn of the same conversation', async () => {
    const model = new ScriptedModel();
    const node = await writeStep(model, context(), settings, []);
    expect(node.passage).toMatch(/^Passage \d+:/);
    expect(node.shortMemory).toMatch(/^Memory after call/);
    expect(node.plans).toHaveLength(3);
    expect(node.plans.map((p) => p.label)).toEqual(['Option 1', 'Option 2', 'Option 3']);
    expect(node.stats).toMatchObject({ retries: 0, fallback: false, regenerated: false });

    const [passageCall, updateCall] = model.requests;
    expect(passageCall?.kind).toBe('text');
    expect(updateCall?.kind).toBe('json');
    // The update extends the passage prompt: same first turn, with the passage as its answer.
    expect(updateCall?.conversation.turns[0]?.user).toBe(passageCall?.conversation.turns[0]?.user);
    expect(updateCall?.conversation.turns[0]?.answer).toContain(node.passage);
    expect(updateCall?.conversation.turns).toHaveLength(2);
  });

  it('puts every part of the state into the prompt, most stable first', async () => {
    const model = new ScriptedModel();
    await writeStep(model, context(), settings, []);
    const prompt = model.requests[0]?.conversation.turns[0]?.user ?? '';
    const order = ['Quiet, precise.', 'Mara is the harbour master.', 'Boats vanish.', 'Three boats vanished overnight.', 'A storm once took the pier.', 'The fog came in at noon.', 'Mara finds the missing boat.'];
    const positions = order.map((text) => prompt.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('turns a reader action into the instruction', async () => {
    const model = new ScriptedModel();
    await writeStep(model, context({ kind: 'action', text: 'I open the lighthouse door.' }), settings, []);
    expect(model.requests[0]?.conversation.turns[0]?.user).toContain('The reader chooses this action: I open the lighthouse door.');
  });

  it.each([
    ['broken JSON', { raw: '{"memory": "x", "summ' }],
    ['an empty memory', { json: { memory: '  ', summary: 's', plans: [1, 2, 3].map((i) => ({ label: 'l', plan: `p${i}` })) } }],
    ['two plans alike', { json: { memory: 'm', summary: 's', plans: [1, 1, 2].map((i) => ({ label: 'l', plan: `p${i}` })) } }],
    ['two plans only', { json: { memory: 'm', summary: 's', plans: [1, 2].map((i) => ({ label: 'l', plan: `p${i}` })) } }],
  ] as [string, ScriptedAnswer][])('retries after %s and uses the next good answer', async (_name, bad) => {
    const model = new ScriptedModel(jsonInTurn([bad]));
    const node = await writeStep(model, context(), settings, []);
    expect(node.stats.retries).toBe(1);
    expect(node.stats.fallback).toBe(false);
    expect(node.shortMemory).toMatch(/^Memory after call/);
  });

  it('falls back after three failed attempts: the old memory stays, the plans are generic, no more calls', async () => {
    const model = new ScriptedModel(jsonInTurn(Array.from({ length: 10 }, () => ({ raw: 'not json' }))));
    const node = await writeStep(model, context(), settings, []);
    expect(model.requests.filter((r) => r.kind === 'json')).toHaveLength(MAX_ATTEMPTS);
    expect(node.stats).toMatchObject({ retries: MAX_ATTEMPTS - 1, fallback: true });
    expect(node.shortMemory).toBe('Three boats vanished overnight.');
    expect(node.plans).toEqual(GENERIC_PLANS);
    expect(node.summary.length).toBeGreaterThan(0);
  });

  it('writes the passage again once when it repeats a recent passage', async () => {
    const recent = ['The fog came in at noon and the boats were gone from the harbour again.'];
    const passages = [recent[0] as string, 'Mara rowed out alone, counting the buoys.'];
    const model = new ScriptedModel((r) => (r.kind === 'text' ? (passages.shift() ?? 'x') : defaultAnswer(r)));
    let restarts = 0;
    const node = await writeStep(model, context(), settings, recent, { onRestart: () => restarts++ });
    expect(restarts).toBe(1);
    expect(node.passage).toBe('Mara rowed out alone, counting the buoys.');
    expect(node.stats.regenerated).toBe(true);
  });

  it('fails clearly when the model writes nothing, twice', async () => {
    const model = new ScriptedModel((r) => (r.kind === 'text' ? '   ' : defaultAnswer(r)));
    await expect(writeStep(model, context(), settings, [])).rejects.toMatchObject({ code: 'GENERATION_FAILED' });
    expect(model.requests.filter((r) => r.kind === 'text')).toHaveLength(2);
  });

  it('writes once more, with another seed, when the model ends its text at once', async () => {
    let calls = 0;
    const model = new ScriptedModel((r) => (r.kind === 'text' ? (calls++ === 0 ? '' : 'Mara rowed out alone. ') : defaultAnswer(r)));
    let restarts = 0;
    const node = await writeStep(model, context(), settings, [], { onRestart: () => restarts++ });
    expect(node.passage).toBe('Mara rowed out alone.');
    expect(node.stats.regenerated).toBe(true);
    expect(restarts).toBe(1);
    const seeds = model.requests.filter((r) => r.kind === 'text').map((r) => r.options.seed);
    expect(seeds[1]).not.toBe(seeds[0]);
  });

  it('stops when cancelled and reports CANCELLED', async () => {
    const controller = new AbortController();
    const model = new ScriptedModel();
    model.onWord = (i) => (i === 2 ? controller.abort() : undefined);
    await expect(writeStep(model, context(), settings, [], { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(model.requests.filter((r) => r.kind === 'json')).toHaveLength(0);
  });

  it('sizes strings and passages from the context: a small context gets small bounds', async () => {
    const small = new ScriptedModel(defaultAnswer, 512);
    const large = new ScriptedModel(defaultAnswer, 8192);
    await writeStep(small, context(), settings, []);
    await writeStep(large, context(), settings, []);
    const bound = (m: ScriptedModel) =>
      ((m.requests[1]?.schema as { properties: { memory: { maxLength: number } } }).properties.memory.maxLength);
    expect(bound(small)).toBeLessThan(bound(large));
    expect(small.requests[0]?.options.maxTokens).toBeLessThan(large.requests[0]?.options.maxTokens ?? 0);
  });
});

describe('rememberPassage', () => {
  it('recomputes the memory for a passage as written, without writing a new one', async () => {
    const model = new ScriptedModel();
    const result = await rememberPassage(model, context(), 'Mara found the boat under the pier.', settings);
    expect(model.requests.map((r) => r.kind)).toEqual(['json']);
    expect(model.requests[0]?.conversation.turns[0]?.answer).toContain('Mara found the boat under the pier.');
    expect(result.plans).toHaveLength(3);
  });

  it('goes on from a fixed beginning, which survives cutting a passage back to its last sentence', async () => {
    const begin = 'Mara rowed out to the reef at dawn. She searched every rock and pool. She found the';
    // More words than the limit allows and no sentence end: cut back to a sentence, the passage would lose the
    // words the author chose.
    const model = new ScriptedModel((r) => (r.kind === 'text' ? ' a'.repeat(40) : defaultAnswer(r)));
    const node = await writeStep(model, context(), { ...settings, passageTokens: 16 }, [], {}, { begin });
    expect(model.requests[0]?.conversation.turns[0]?.answer.endsWith(begin)).toBe(true);
    expect(node.passage).toBe(`${begin}${' a'.repeat(15)}`);
    // Written from outside, so scored afterwards as a whole.
    expect(node.tokens.map((t) => t.text).join('')).toBe(node.passage);
  });
});
