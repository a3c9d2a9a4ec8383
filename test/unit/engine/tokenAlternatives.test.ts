import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent, StoryView } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const PASSAGE = 'Mara climbed the tower. The lamp was dark, and the sea was loud below her. ';
const engines: Engine[] = [];

async function storyWithStep() {
  const loader = new ScriptedLoader(() => new ScriptedModel(passagesInTurn(['The opening. ', PASSAGE, ', counting each one. '])));
  const engine = Engine.open({ dbPath: ':memory:', modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 } });
  engines.push(engine);
  const opened = await engine.stories.create({ premise: 'A keeper finds a letter.' }, call());
  const stepped = await engine.stories.step(opened.story.id, undefined, { choice: 1 }, call());
  return { engine, model: loader.models[0] as ScriptedModel, storyId: opened.story.id, root: opened.path[0]!, node: stepped.path.at(-1)! };
}

function call() {
  const events: CallEvent[] = [];
  return { events, signal: new AbortController().signal, emit: (e: CallEvent): void => void events.push(e) };
}

const leaf = (view: StoryView) => view.path.at(-1)!;

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

describe('alternatives at a token, and rewriting a passage from there', () => {
  it('asks the model what follows the passage up to the offset, in the prompt the passage is written from', async () => {
    const { engine, model, storyId, node } = await storyWithStep();
    const offset = node.passage.indexOf(' lamp');
    const passagePrompt = model.requests.filter((r) => r.kind === 'text').at(-1)!.conversation;

    const candidates = await engine.stories.alternatives(storyId, node.id, offset, call());

    expect(candidates.map((c) => c.text)).toEqual([' harbour', ' lamp', ' sea']);
    const asked = model.candidateRequests.at(-1)!;
    // The passage's own prompt, its answer carried on by the text before the token.
    expect(asked).toBe(`${passagePrompt.turns.at(-1)!.answer}${node.passage.slice(0, offset)}`);
    expect(asked.endsWith('The')).toBe(true);
  });

  it('writes a new version that keeps the passage up to the offset, the chosen words, and what the model writes on', async () => {
    const { engine, model, storyId, node } = await storyWithStep();
    const offset = node.passage.indexOf(' lamp');
    const events = call();

    const view = await engine.stories.rewriteFrom(storyId, node.id, offset, ' stairs', events);

    const sibling = leaf(view);
    expect(sibling.id).not.toBe(node.id);
    expect(sibling.parentId).toBe(node.parentId);
    expect(sibling.instruction).toEqual(node.instruction);
    expect(sibling.siblingCount).toBe(2);
    expect(sibling.passage).toBe('Mara climbed the tower. The stairs, counting each one.');
    // The model was asked to go on from the chosen words, and the reader saw them first.
    expect(model.requests.filter((r) => r.kind === 'text').at(-1)!.conversation.turns.at(-1)!.answer).toMatch(/The stairs$/u);
    expect(events.events.find((e) => e.kind === 'token')).toMatchObject({ text: 'Mara climbed the tower. The stairs' });
    // Scored as a whole afterwards: the heatmap covers the chosen words too.
    const tokens = engine.stories.memory.tokens(storyId, sibling.id);
    expect(tokens.tokens.map((t) => t.text).join('')).toBe(sibling.passage);
    // The first version is untouched.
    expect(engine.stories.open(storyId, node.id).path.at(-1)!.passage).toBe(node.passage);
  });

  it('shows the prompt a passage was written from: the one a step from its parent with its instruction reads', async () => {
    const { engine, model, storyId, root, node } = await storyWithStep();
    const written = model.requests.filter((r) => r.kind === 'text').at(-1)!.conversation.turns[0]!.user;

    const prompt = await engine.stories.writtenFrom(storyId, node.id, call());

    expect(written.startsWith(prompt.text)).toBe(true);
    expect(prompt.text).toContain(root.passage.trim());
    expect(prompt.sections.map((s) => s.id)).toContain('instruction');
    expect(prompt.tokens).toBeLessThanOrEqual(prompt.budget);
  });

  it("the first passage has its alternatives and its prompt too: the opening's, from the story's bible", async () => {
    const { engine, model, storyId, root } = await storyWithStep();
    const opening = model.requests.filter((r) => r.kind === 'text')[0]!.conversation;

    const prompt = await engine.stories.writtenFrom(storyId, root.id, call());
    expect(opening.turns[0]!.user.startsWith(prompt.text)).toBe(true);
    expect(prompt.text).toContain('Begin the story');

    const offset = root.passage.indexOf(' opening');
    await engine.stories.alternatives(storyId, root.id, offset, call());
    expect(model.candidateRequests.at(-1)).toBe(`${opening.turns.at(-1)!.answer}The`);
  });

  it('refuses to write the first passage again and an offset past the end, and writes nothing', async () => {
    const { engine, storyId, root, node } = await storyWithStep();
    const before = engine.stories.tree(storyId).length;

    await expect(engine.stories.alternatives(storyId, root.id, root.passage.length + 1, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.stories.rewriteFrom(storyId, root.id, 0, 'Once', call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.stories.rewriteFrom(storyId, node.id, node.passage.length + 1, ' x', call())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/characters/u),
    });
    expect(engine.stories.tree(storyId)).toHaveLength(before);
  });
});
