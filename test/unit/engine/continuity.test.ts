import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { spread } from '../../../electron/engine/ContinuityService.js';
import { Engine } from '../../../electron/engine/Engine.js';
import type { Conversation, ScoreOptions, ScoreTarget } from '../../../electron/story/TextModel.js';
import { defaultAnswer, defaultSurprisal, ScriptedLoader, ScriptedModel, type ScriptedRequest } from '../../fixtures/ScriptedModel.js';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

function call(signal = new AbortController().signal) {
  return { signal, emit: (_e: CallEvent): void => undefined };
}

/** A story of five steps on a scripted model whose reply to a question is "The boats sank." and whose scored prompts are kept. */
async function story() {
  const reply = (r: ScriptedRequest) => (r.kind === 'text' && r.options.temperature === 0 ? 'The boats sank.\nMore.' : defaultAnswer(r));
  const loader = new ScriptedLoader(() => new ScriptedModel(reply));
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 } });
  engines.push(engine);
  let view = await engine.stories.create({ premise: 'A harbour town loses its boats.' }, call());
  for (let i = 0; i < 5; i++) view = await engine.stories.step(view.story.id, undefined, { choice: 1 }, call());
  const model = loader.models[0] as ScriptedModel;
  const scored: string[] = [];
  const score = model.score.bind(model);
  model.score = (conversation: Conversation, target?: ScoreTarget, options?: ScoreOptions) => {
    scored.push(conversation.turns[0]?.user ?? '');
    return score(conversation, target, options);
  };
  return { engine, view, model, scored };
}

describe('continuity checks', () => {
  it('spreads the passages checked evenly along the path, ending with the one asked about', () => {
    expect(spread(6, 3)).toEqual([1, 3, 5]);
    expect(spread(40, 6)).toEqual([6, 12, 19, 26, 32, 39]);
    expect(spread(2, 5)).toEqual([0, 1]);
    expect(spread(9, 1)).toEqual([8]);
  });

  it('measures the expected answer with the memory at each passage checked and with the bible alone, and asks the model too', async () => {
    const { engine, view, model, scored } = await story();
    const question = 'Where did the boats go?';
    const check = await engine.stories.continuity.check(view.story.id, { question, answer: 'They sank.', points: 3 }, call());

    expect(check.points.map((p) => [p.position, p.nodeId])).toEqual([2, 4, 6].map((position) => [position, view.path[position - 1]?.id]));
    // The scripted model scores a word by its length and case, whatever the context: the answer's sum.
    const expected = defaultSurprisal('They') + defaultSurprisal(' sank.');
    expect(check.baselineNats).toBeCloseTo(expected, 6);
    for (const point of check.points) expect(point.nats).toBeCloseTo(expected, 6);
    expect(check.answerTokens).toBe(2);
    expect(check).toMatchObject({ question, answer: 'They sank.', reply: 'The boats sank.' });

    // The baseline reads the bible and the question only; each point reads that passage's memory and the passage itself.
    const [baseline, ...atPoints] = scored;
    expect(baseline).toContain(`## Question\n${question}\n\n## Answer`);
    expect(baseline).toContain('A harbour town loses its boats.');
    expect(baseline).not.toContain('## The story so far');
    expect(atPoints).toHaveLength(3);
    for (const [i, prompt] of atPoints.entries()) {
      const node = view.path[(check.points[i]?.position ?? 0) - 1];
      expect(prompt).toContain(`## The story so far\n${node?.shortMemory}`);
      expect(prompt).toContain(node?.passage.trim().slice(-20));
      expect(prompt.endsWith(`## Question\n${question}\n\n## Answer`)).toBe(true);
    }
    // One reply, at the passage asked about, from the model's likeliest words.
    const replies = model.requests.filter((r) => r.options.temperature === 0);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.options.stopStrings).toEqual(['\n']);
  });

  it('checks the passage named, stops when cancelled, and refuses a passage of another story', async () => {
    const { engine, view } = await story();
    const second = view.path[1]?.id ?? 0;
    const at = await engine.stories.continuity.check(view.story.id, { nodeId: second, question: 'Who?', answer: 'Mara.' }, call());
    expect(at.points).toEqual([{ nodeId: second, position: 2, nats: expect.any(Number) }]);

    const stopped = new AbortController();
    stopped.abort();
    await expect(engine.stories.continuity.check(view.story.id, { question: 'Who?', answer: 'Mara.' }, call(stopped.signal))).rejects.toMatchObject({ code: 'CANCELLED' });

    const other = await engine.stories.create({ premise: 'Another town.' }, call());
    await expect(engine.stories.continuity.check(other.story.id, { nodeId: second, question: 'Who?', answer: 'Mara.' }, call())).rejects.toMatchObject({
      code: 'NODE_NOT_FOUND',
    });
  });
});

describe('saved continuity checks', () => {
  it('are kept with the story in order, once each; forgetting takes one; another story’s id is refused', async () => {
    const { engine, view } = await story();
    const { continuity } = engine.stories;
    const storyId = view.story.id;
    continuity.save(storyId, 'Where did the boats go?', 'They sank.');
    continuity.save(storyId, 'Who keeps the harbour?', 'Old Bram');
    const saved = continuity.save(storyId, 'Where did the boats go?', 'They sank.');
    expect(saved.map((c) => c.question)).toEqual(['Where did the boats go?', 'Who keeps the harbour?']);
    expect(() => continuity.forget(storyId, 999)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => continuity.save(999, 'Q?', 'A')).toThrow(expect.objectContaining({ code: 'STORY_NOT_FOUND' }));
    expect(continuity.forget(storyId, saved[0]!.id).map((c) => c.answer)).toEqual(['Old Bram']);
  });

  it('run one after another at the passage asked about, each as a check of its own reported as it finishes; stopping stops them all', async () => {
    const { engine, view, scored } = await story();
    const storyId = view.story.id;
    const { continuity } = engine.stories;
    continuity.save(storyId, 'Where did the boats go?', 'They sank.');
    const [, second] = continuity.save(storyId, 'Who keeps the harbour?', 'Old Bram');
    const at = view.path[2]!.id;

    const events: CallEvent[] = [];
    const results = await continuity.checkSaved(storyId, at, { signal: new AbortController().signal, emit: (e) => void events.push(e) });
    // Each is reported as it finishes, so a stop later keeps what was done.
    expect(events).toEqual(results.map(({ id, check }) => ({ kind: 'checked', id, check })));
    expect(results.map((r) => [r.id, r.check.question, r.check.points.map((p) => p.nodeId)])).toEqual([
      [results[0]!.id, 'Where did the boats go?', [at]],
      [second!.id, 'Who keeps the harbour?', [at]],
    ]);
    const single = await continuity.check(storyId, { nodeId: at, question: 'Who keeps the harbour?', answer: 'Old Bram' }, call());
    expect(results[1]!.check).toEqual(single);

    const controller = new AbortController();
    controller.abort();
    const before = scored.length;
    await expect(continuity.checkSaved(storyId, undefined, call(controller.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(scored.length).toBe(before);
  });
});
