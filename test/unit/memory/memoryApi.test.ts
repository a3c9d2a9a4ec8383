import { afterEach, describe, expect, it } from 'vitest';
import { type CallEvent, type MethodName, methods, type Params, type Result, type StoryView } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { handlers } from '../../../electron/engine/handlers.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

/**
 * The user's hand on the surprisal memory, through the API as a client calls it (params validated by the
 * contract, then the handler), and checked where it matters: in the prompt the next step reads.
 */
const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

const PASSAGES = [
  'The harbour was grey. Mara counted the boats. The gulls were loud. Old Quennel sold a glass compass to the queen of otters. The tide came in. Nets dried on the wall.',
  'Rain fell on the roofs. Mara walked home. The streets were empty. A dog barked twice.',
  'Morning came slowly. Bread was baked. The bells rang for the fair.',
];

/** Words about Quennel and the otters surprise the scripted model; everything else reads as ordinary. */
const surprisal = (token: string) => (/Quennel|compass|otters|queen|glass/u.test(token) ? 9 : 1 + token.trim().length * 0.01);

function setup(contextSize = 4096) {
  const loader = new ScriptedLoader(() => {
    const model = new ScriptedModel(passagesInTurn(PASSAGES), contextSize);
    model.surprisal = surprisal;
    return model;
  });
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 } });
  engines.push(engine);
  const callContext = { signal: new AbortController().signal, emit: (_e: CallEvent) => undefined };
  async function api<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const parsed = methods[method].params.parse(params);
    return (await (handlers[method] as (e: Engine, p: unknown, c: typeof callContext) => unknown)(engine, parsed, callContext)) as Result<M>;
  }
  const model = () => loader.models[0] as ScriptedModel;
  return { engine, api, model };
}

const leaf = (view: StoryView) => view.path.at(-1)!;

async function nextPrompt(api: ReturnType<typeof setup>['api'], storyId: number): Promise<string> {
  return (await api('prompt.preview', { storyId, input: { plan: 'Continue.' } })).text;
}

describe('memory API', () => {
  it('a step keeps its surprising sentence and scores every token of the passage', async () => {
    const { api, model } = setup();
    const opened = await api('stories.create', { premise: 'A harbour town.' });
    const root = leaf(opened);
    expect(root.keyMemory.map((e) => e.text)).toContain('Old Quennel sold a glass compass to the queen of otters.');
    const kept = root.keyMemory.find((e) => e.text.startsWith('Old Quennel'));
    expect(kept).toMatchObject({ sourceNode: root.id, turnAdded: 0, pinned: false });
    expect(root.passage.slice(kept?.offsets?.start, kept?.offsets?.end)).toBe(kept?.text);
    expect(root.stats.scoringMs).toBeGreaterThanOrEqual(0);
    expect(model().scoreRequests.map((r) => r.text)).toEqual([root.passage]);

    const heat = await api('nodes.tokens', { storyId: opened.story.id, nodeId: root.id });
    expect(heat.nodeId).toBe(root.id);
    expect(heat.tokens.map((t) => t.text).join('')).toBe(root.passage);
    expect(heat.meanSurprisal).toBeGreaterThan(0);

    expect(await nextPrompt(api, opened.story.id)).toContain('## Details to remember\n- Old Quennel sold a glass compass');
  });

  it('pin, edit, change kind, forget and add are what the next prompt reads', async () => {
    const { api } = setup();
    const opened = await api('stories.create', { premise: 'A harbour town.' });
    const storyId = opened.story.id;
    const entryId = leaf(opened).keyMemory[0]?.id ?? '';

    let view = await api('memory.edit', { storyId, entryId, pinned: true, kind: 'canon' });
    expect(leaf(view).keyMemory.find((e) => e.id === entryId)).toMatchObject({ pinned: true, kind: 'canon' });

    view = await api('memory.edit', { storyId, entryId, text: 'Quennel owes the otter queen a compass.' });
    let prompt = await nextPrompt(api, storyId);
    expect(prompt).toContain('- Quennel owes the otter queen a compass.');
    expect(prompt).not.toContain('- Old Quennel');

    view = await api('memory.add', { storyId, text: 'Mara cannot swim.', kind: 'canon', pinned: true });
    const added = leaf(view).keyMemory.find((e) => e.text === 'Mara cannot swim.');
    expect(added).toMatchObject({ kind: 'canon', pinned: true, sourceNode: null, turnAdded: 0 });
    prompt = await nextPrompt(api, storyId);
    expect(prompt.indexOf('- Quennel owes')).toBeLessThan(prompt.indexOf('- Mara cannot swim.'));

    view = await api('memory.forget', { storyId, entryId });
    prompt = await nextPrompt(api, storyId);
    expect(prompt).not.toContain('- Quennel');
    expect(prompt).toContain('## Details to remember\n- Mara cannot swim.\n\n');

    // The next step is written from that memory, and carries the pinned detail on undecayed.
    const stepped = await api('stories.step', { storyId, input: { choice: 1 } });
    const carried = leaf(stepped).keyMemory.find((e) => e.text === 'Mara cannot swim.');
    expect(carried).toMatchObject({ pinned: true, score: added?.score });
  });

  it('edits are per node: undo, redo and retry restore each node\'s own snapshot', async () => {
    const { api } = setup();
    const opened = await api('stories.create', { premise: 'A harbour town.' });
    const storyId = opened.story.id;
    const stepped = await api('stories.step', { storyId, input: { choice: 1 } });
    const childMemory = leaf(stepped).keyMemory;

    await api('memory.add', { storyId, text: 'The fair is cancelled.' });
    const undone = await api('stories.undo', { storyId });
    expect(leaf(undone).keyMemory.some((e) => e.text === 'The fair is cancelled.')).toBe(false);
    expect(leaf(undone)).toEqual(leaf(opened));
    const redone = await api('stories.redo', { storyId });
    expect(leaf(redone).keyMemory.map((e) => e.text)).toEqual([...childMemory.map((e) => e.text), 'The fair is cancelled.']);

    // Editing the root now does not touch the child written earlier from it.
    await api('memory.add', { storyId, nodeId: opened.currentNodeId, text: 'Nets are mended on Sundays.' });
    const child = await api('stories.open', { storyId });
    expect(leaf(child).keyMemory.some((e) => e.text === 'Nets are mended on Sundays.')).toBe(false);
    const retried = await api('stories.retry', { storyId, nodeId: leaf(child).id });
    expect(leaf(retried).keyMemory.some((e) => e.text === 'Nets are mended on Sundays.')).toBe(true);
  });

  it('an edited passage loses its heatmap until recompute scores it again; recompute keeps what the user added', async () => {
    const { api } = setup();
    const opened = await api('stories.create', { premise: 'A harbour town.' });
    const storyId = opened.story.id;
    const nodeId = opened.currentNodeId;
    await api('memory.add', { storyId, text: 'Mara keeps a tide table.', pinned: true });
    const edited = 'Mara woke early. The sea was calm. Old Quennel painted his clockwork otters gold. Then the tide turned.';
    await api('nodes.editPassage', { storyId, nodeId, passage: edited });
    expect((await api('nodes.tokens', { storyId, nodeId })).tokens).toEqual([]);

    const view = await api('nodes.recompute', { storyId, nodeId });
    expect((await api('nodes.tokens', { storyId, nodeId })).tokens.map((t) => t.text).join('')).toBe(edited);
    const memory = leaf(view).keyMemory;
    expect(memory.map((e) => e.text)).toEqual(expect.arrayContaining(['Old Quennel painted his clockwork otters gold.', 'Mara keeps a tide table.']));
    expect(memory.find((e) => e.text.startsWith('Old Quennel'))).toMatchObject({ sourceNode: nodeId });
    expect(memory.some((e) => e.text.startsWith('Old Quennel sold'))).toBe(false);
  });

  it('refuses bad requests with coded errors and changes nothing', async () => {
    const { api, engine } = setup(400);
    const opened = await api('stories.create', { premise: 'A harbour town.' });
    const storyId = opened.story.id;
    await expect(api('memory.forget', { storyId, entryId: 'no-such' })).rejects.toMatchObject({ code: 'MEMORY_NOT_FOUND' });
    await expect(api('memory.add', { storyId, text: '   ' })).rejects.toThrow(/empty/);
    await expect(api('memory.add', { storyId, text: 'x', kind: 'gossip' as never })).rejects.toThrow();
    // A 400-token context gives the memory 40 tokens: a 45-word pinned detail does not fit (unpinned it may wait).
    const long = Array.from({ length: 45 }, (_, i) => `word${i}`).join(' ');
    await expect(api('memory.add', { storyId, text: long, pinned: true })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Pinned details would take 47 tokens; the memory holds 40/),
    });
    expect(engine.stories.open(storyId)).toEqual(opened);
  });

  it('scores a draft with model.score', async () => {
    const { api } = setup();
    const scored = await api('model.score', { text: 'The otters sing.', context: 'A harbour.' });
    expect(scored.tokens.map((t) => t.text).join('')).toBe('The otters sing.');
    expect(await api('model.score', { text: '' })).toEqual({ tokens: [], meanSurprisal: null });
  });
});
