import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent, StoryView } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { defaultAnswer, ScriptedLoader, ScriptedModel, type ScriptedRequest } from '../../fixtures/ScriptedModel.js';

const engines: Engine[] = [];

function setup(answer: (r: ScriptedRequest) => ReturnType<typeof defaultAnswer> = defaultAnswer) {
  const loader = new ScriptedLoader(() => new ScriptedModel(answer));
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 } });
  engines.push(engine);
  const model = () => loader.models[0] as ScriptedModel;
  return { engine, service: engine.stories, model, loader };
}

function call(signal = new AbortController().signal) {
  const events: CallEvent[] = [];
  return { events, signal, emit: (e: CallEvent): void => void events.push(e) };
}

const leaf = (view: StoryView) => view.path.at(-1)!;

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

describe('StoryService', () => {
  it('steps with a chosen plan, the author’s own plan, or a reader’s action', async () => {
    const { service, model } = setup();
    const opened = await service.create({ premise: 'A harbour town loses its boats.' }, call());
    const chosen = leaf(opened).plans[1]!.text;

    const a = await service.step(opened.story.id, undefined, { choice: 2 }, call());
    expect(leaf(a).instruction).toEqual({ kind: 'choice', choice: 2, text: chosen });
    expect(leaf(a).parentId).toBe(opened.currentNodeId);

    const b = await service.step(opened.story.id, undefined, { plan: 'A stranger arrives.' }, call());
    expect(leaf(b).instruction).toEqual({ kind: 'plan', text: 'A stranger arrives.' });

    const c = await service.step(opened.story.id, undefined, { action: 'I follow the stranger.' }, call());
    expect(leaf(c).instruction.kind).toBe('action');
    expect(c.path.map((n) => n.id)).toEqual([...b.path.map((n) => n.id), leaf(c).id]);
    expect(model().prompts.at(-2)).toContain('The reader chooses this action: I follow the stranger.');
  });

  it('every choice from a node reads the same prompt up to its instruction (retrieval goes by all three plans)', async () => {
    const passages = ['The reef glows at night.', 'The pier cracks in the storm.', 'The mayor counts his coins.', 'Gulls circle the harbour.'];
    let written = 0;
    const { service } = setup((r) => {
      if (r.kind === 'text') return `${passages[written++ % passages.length]} `;
      const answer = defaultAnswer(r) as { json: { plans?: unknown } };
      if (answer.json.plans) {
        const plans = ['Search the reef.', 'Mend the pier.', 'Question the mayor.'];
        return { json: { ...answer.json, plans: plans.map((plan, i) => ({ label: `Option ${i + 1}`, plan })) } };
      }
      return answer;
    });
    const opened = await service.create({ premise: 'A harbour town loses its boats.' }, call());
    const storyId = opened.story.id;
    for (let i = 0; i < 3; i++) await service.step(storyId, undefined, { plan: 'Morning comes.' }, call());
    const node = service.open(storyId).path.at(-1)!;
    const previews = await Promise.all(([1, 2, 3] as const).map((choice) => service.preview(storyId, node.id, { choice }, call())));
    const before = previews.map((p, i) => p.text.slice(0, p.text.lastIndexOf(node.plans[i]!.text)));
    expect(previews[0]!.sections.find((s) => s.id === 'related')?.tokens).toBeGreaterThan(0);
    expect(before[0]).toContain('## Earlier passages that may matter');
    expect(new Set(before).size).toBe(1);
    // An action retrieves by the reader's own words.
    const action = await service.preview(storyId, node.id, { action: 'I follow the gulls.' }, call());
    expect(action.text).toContain('I follow the gulls.');
  });

  it('each node keeps the settings its passage was written with, read back from the database', async () => {
    const { engine, service } = setup();
    const opened = await service.create({ premise: 'A harbour town loses its boats.' }, call());
    engine.settings.update({ passageTokens: 50, temperature: 0.4 });
    const stepped = await service.step(opened.story.id, undefined, { choice: 1 }, call());
    const [root, next] = service.open(opened.story.id).path;
    expect(root!.stats.settings).toMatchObject({ passageTokens: engine.settings.view().defaults.passageTokens });
    expect(next!.stats.settings).toMatchObject({ passageTokens: 50, temperature: 0.4 });
    expect(leaf(stepped).stats.settings).toEqual(next!.stats.settings);
  });

  it('records a startup setting outside the editable bounds as it was used', async () => {
    const loader = new ScriptedLoader(() => new ScriptedModel(defaultAnswer));
    const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { passageTokens: 8 } });
    engines.push(engine);
    const opened = await engine.stories.create({ premise: 'Rain.' }, call());
    expect(engine.stories.open(opened.story.id).path[0]!.stats.settings).toMatchObject({ passageTokens: 8 });
  });

  it('refuses a plan number the passage does not offer, and writes nothing', async () => {
    const { service } = setup((r) =>
      r.kind === 'json' && 'plans' in ((r.schema as { properties: object }).properties) ? { raw: 'x' } : defaultAnswer(r),
    );
    const opened = await service.create({ premise: 'A storm.' }, call());
    // The fallback gives generic plans, so choices exist; a fourth never does.
    await expect(service.step(opened.story.id, undefined, { choice: 4 } as never, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(service.open(opened.story.id).path).toHaveLength(1);
  });

  it('retry writes a sibling from the same instruction; siblings are counted', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const first = await service.step(opened.story.id, undefined, { plan: 'The pier collapses.' }, call());
    const retried = await service.retry(opened.story.id, first.currentNodeId, call());
    expect(leaf(retried).parentId).toBe(leaf(first).parentId);
    expect(leaf(retried).instruction).toEqual(leaf(first).instruction);
    expect(leaf(retried)).toMatchObject({ siblingIndex: 1, siblingCount: 2 });
    await expect(service.retry(opened.story.id, opened.currentNodeId, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('undo restores the previous state exactly, redo returns, checkout switches branch', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const a = await service.step(id, undefined, { choice: 1 }, call());
    const undone = await service.undo(id);
    expect(undone).toEqual(service.open(id, opened.currentNodeId));
    expect(leaf(undone)).toEqual(leaf(opened));
    expect((await service.redo(id)).currentNodeId).toBe(a.currentNodeId);

    await service.undo(id);
    const b = await service.step(id, undefined, { choice: 3 }, call());
    expect((await service.checkout(id, a.currentNodeId)).currentNodeId).toBe(a.currentNodeId);
    expect(leaf(service.open(id)).shortMemory).toBe(leaf(a).shortMemory);
    expect(leaf(b).shortMemory).not.toBe(leaf(a).shortMemory);
    await expect(service.undo(id).then(() => service.undo(id))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('an edited short-term memory is what the next prompt reads', async () => {
    const { service, model } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    await service.editMemory(opened.story.id, opened.currentNodeId, { shortMemory: 'Mara secretly owns the lighthouse.' });
    const preview = await service.preview(opened.story.id, undefined, { choice: 1 }, call());
    expect(preview.text).toContain('Mara secretly owns the lighthouse.');
    expect(preview.tokens).toBeLessThanOrEqual(preview.budget);
    await service.step(opened.story.id, undefined, { choice: 1 }, call());
    const passageCall = model().requests.filter((r) => r.kind === 'text').at(-1);
    expect(passageCall?.conversation.turns[0]?.user).toContain('Mara secretly owns the lighthouse.');
  });

  it('pinned facts reach the prompt and can be edited and removed', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const [fact] = service.facts.add(id, 'The lighthouse has no lamp.');
    expect((await service.preview(id, undefined, undefined, call())).text).toContain('The lighthouse has no lamp.');
    service.facts.edit(id, fact!.id, 'The lighthouse lamp is blue.');
    expect((await service.preview(id, undefined, undefined, call())).text).toContain('The lighthouse lamp is blue.');
    expect(service.facts.remove(id, fact!.id)).toEqual([]);
  });

  it('a fact pinned from a passage on reaches the prompts of its branch only, and says where it applies', async () => {
    const { service, engine } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const a = leaf(await service.step(id, undefined, { choice: 1 }, call()));
    service.facts.add(id, 'The lighthouse burned down.', a.id);
    expect((await service.preview(id, a.id, undefined, call())).text).toContain('The lighthouse burned down.');
    const onA = leaf(await service.step(id, a.id, { choice: 1 }, call()));
    expect((await service.preview(id, onA.id, undefined, call())).text).toContain('The lighthouse burned down.');
    expect(service.facts.list(id)).toEqual([{ id: expect.any(Number), text: 'The lighthouse burned down.', from: { nodeId: a.id, position: 2 }, applies: true }]);

    // Another branch from the first passage: the fact is not true there.
    const b = leaf(await service.step(id, opened.currentNodeId, { plan: 'The storm passes.' }, call()));
    expect((await service.preview(id, b.id, undefined, call())).text).not.toContain('The lighthouse burned down.');
    expect(service.facts.list(id)[0]?.applies).toBe(false);
    await service.checkout(id, onA.id);
    expect(service.facts.list(id)[0]?.applies).toBe(true);
    // Deleting the branch it holds on deletes it.
    await service.checkout(id, b.id);
    engine.library.deleteBranch(id, a.id);
    expect(service.facts.list(id)).toEqual([]);
  });

  it('suggests recurring names for the bible from the path, not from other branches nor those already pinned', async () => {
    let n = 0;
    const passages = ['Then Mara met Oskar on the quay.', 'A letter came for Zeppo and Oskar.', 'Rain fell on Oskar and Mara.', 'Zeppo wrote again.'];
    const { service } = setup((r) => (r.kind === 'text' ? (passages[n++] ?? 'More.') : defaultAnswer(r)));
    const opened = await service.create({ premise: 'Mara keeps a lighthouse.' }, call());
    const id = opened.story.id;
    await service.step(id, undefined, { choice: 1 }, call());
    const first = await service.step(id, undefined, { choice: 1 }, call());
    expect(service.facts.suggest(id).map((s) => [s.name, s.passages])).toEqual([['Oskar', 3]]);
    const [oskar] = service.facts.suggest(id);
    expect(oskar).toMatchObject({ text: 'Then Mara met Oskar on the quay.', nodeId: first.path[0]?.id });
    // Another version of the last passage names Zeppo a second time: suggested on that branch only.
    await service.undo(id);
    await service.step(id, undefined, { choice: 2 }, call());
    expect(service.facts.suggest(id).map((s) => [s.name, s.passages])).toEqual([['Oskar', 2], ['Zeppo', 2]]);
    expect(service.facts.suggest(id, first.currentNodeId).map((s) => s.name)).toEqual(['Oskar']);
    service.facts.add(id, 'Oskar is the harbour master.');
    expect(service.facts.suggest(id).map((s) => s.name)).toEqual(['Zeppo']);
  });

  it('retrieves earlier passages from the ancestors only, never from a sibling branch', async () => {
    let n = 0;
    const passages = ['The lighthouse stood dark.', 'Mara met a ZEPPELIN pilot on the quay.', 'The tide went out.', 'Rain.', 'Fog.'];
    const { service, model } = setup((r) => (r.kind === 'text' ? (passages[n++] ?? 'More.') : defaultAnswer(r)));
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const branch = await service.step(id, undefined, { plan: 'A zeppelin arrives.' }, call()); // sibling branch: ZEPPELIN
    await service.undo(id);
    await service.step(id, undefined, { plan: 'The tide turns.' }, call());
    await service.step(id, undefined, { plan: 'Another zeppelin appears over the tide.' }, call());
    const preview = await service.preview(id, undefined, { plan: 'Mara looks for the zeppelin pilot.' }, call());
    expect(leaf(branch).passage).toContain('ZEPPELIN');
    expect(preview.text).not.toContain('ZEPPELIN');
    expect(model().prompts.join('\n')).not.toMatch(/ZEPPELIN pilot on the quay\.[\s\S]*## What happens next\nAnother zeppelin/);
  });

  it('editing a passage marks what follows stale; recompute refreshes memory along the path', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    await service.step(id, undefined, { choice: 1 }, call());
    const two = await service.step(id, undefined, { choice: 1 }, call());
    const [root, first, second] = two.path;
    const edited = await service.editPassage(id, first!.id, 'Mara burned the boats herself.');
    expect(edited.path.map((n) => n.stale)).toEqual([false, false, true]);
    expect(edited.path[1]?.passage).toBe('Mara burned the boats herself.');

    const recomputed = await service.recompute(id, first!.id, call());
    expect(recomputed.path.map((n) => n.stale)).toEqual([false, false, false]);
    expect(recomputed.path[0]).toEqual(edited.path[0]);
    expect(recomputed.path[1]?.shortMemory).not.toBe(first?.shortMemory);
    expect(recomputed.path[2]?.shortMemory).not.toBe(second?.shortMemory);
    expect(recomputed.path[2]?.passage).toBe(second?.passage);
    expect(root?.id).toBe(opened.currentNodeId);
  });

  it('runs two steps on one story one after the other; both land in order', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const [a, b] = await Promise.all([
      service.step(id, undefined, { plan: 'First.' }, call()),
      service.step(id, undefined, { plan: 'Second.' }, call()),
    ]);
    expect(leaf(b).parentId).toBe(leaf(a).id);
    expect(service.open(id).path).toHaveLength(3);
  });

  it('a cancelled step leaves no node and the story unchanged', async () => {
    const { service, loader } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const controller = new AbortController();
    loader.models[0]!.onWord = (i) => (i === 2 ? controller.abort() : undefined);
    await expect(service.step(opened.story.id, undefined, { choice: 1 }, call(controller.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(service.open(opened.story.id)).toEqual(opened);
  });

  it('unknown stories and nodes, and nodes of another story, are clear errors', async () => {
    const { service } = setup();
    const one = await service.create({ premise: 'One.' }, call());
    const two = await service.create({ premise: 'Two.' }, call());
    await expect(service.step(999, undefined, { choice: 1 }, call())).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
    await expect(service.step(one.story.id, 999, { choice: 1 }, call())).rejects.toMatchObject({ code: 'NODE_NOT_FOUND' });
    await expect(service.step(one.story.id, two.currentNodeId, { choice: 1 }, call())).rejects.toMatchObject({ code: 'NODE_NOT_FOUND' });
    expect(service.open(two.story.id)).toEqual(two);
  });

  it('auto mode writes toward a passage target with progress, choosing plans itself', async () => {
    const { service, model } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const c = call();
    const done = await service.auto(opened.story.id, { passages: 3 }, c);
    const progress = c.events.filter((e) => e.kind === 'progress');
    expect(progress.map((e) => (e.kind === 'progress' ? e.passages : 0))).toEqual([1, 2, 3]);
    expect(done.path).toHaveLength(4);
    // The scripted reader answers 2: every automatic passage follows plan 2 of its parent.
    expect(done.path.slice(1).map((n) => n.instruction.kind === 'choice' && n.instruction.choice)).toEqual([2, 2, 2]);
    expect(model().requests.filter((r) => r.kind === 'json' && JSON.stringify(r.schema).includes('choice'))).toHaveLength(3);
  });

  it('auto mode stops at a word target, and pause stops it after the current passage', async () => {
    const { service } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const id = opened.story.id;
    const byWords = await service.auto(id, { words: 20 }, call());
    expect(byWords.path.length).toBeGreaterThan(1);

    const c = call();
    c.emit = (e: CallEvent) => {
      c.events.push(e);
      if (e.kind === 'progress' && e.passages === 2) service.pause(id);
    };
    const paused = await service.auto(id, { passages: 50 }, c);
    expect(paused.path.length).toBe(byWords.path.length + 2);
    expect(service.pause(id)).toEqual({ paused: false });
  });

  it('stopping auto mode mid-passage keeps what was committed and nothing half-written', async () => {
    const { service, loader } = setup();
    const opened = await service.create({ premise: 'A storm.' }, call());
    const controller = new AbortController();
    let words = 0;
    loader.models[0]!.onWord = () => {
      if (++words === 40) controller.abort();
    };
    await expect(service.auto(opened.story.id, { passages: 50 }, call(controller.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    const after = service.open(opened.story.id);
    expect(after.path.length).toBeGreaterThan(1);
    expect(after.path.every((n) => n.plans.length === 3 && n.passage.length > 0)).toBe(true);
  });
});
