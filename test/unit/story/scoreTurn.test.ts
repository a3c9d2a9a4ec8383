import { describe, expect, it } from 'vitest';
import type { Instruction, MemoryEntry } from '../../../electron/contract/index.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import type { StepContext } from '../../../electron/story/StepContext.js';
import type { TextScore } from '../../../electron/story/TextModel.js';
import { rememberPassage, writeStep } from '../../../electron/story/writeStep.js';
import { defaultAnswer, passagesInTurn, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const settings = { ...defaultGenerationSettings, seed: 1 };
const PASSAGE =
  'The fog lifted at noon. Mara walked the quay. Gulls circled the masts. Nobody spoke of Quennel and his clockwork heron. The tide turned. A bell rang twice.';

function context(instruction: Instruction, keyMemory: MemoryEntry[] = []): StepContext {
  return {
    story: { title: 'Salt', premise: 'A harbour town loses its boats.', genre: '', style: '', outline: '' },
    facts: [],
    previous: { passage: 'The boats were gone.', shortMemory: 'Three boats vanished.', keyMemory, plans: [] },
    related: [],
    instruction,
    turn: 4,
  };
}

function model(): ScriptedModel {
  const m = new ScriptedModel((r) => (r.kind === 'text' ? PASSAGE : defaultAnswer(r)));
  m.surprisal = (token) => (/Quennel|clockwork|heron|lantern|ravens/u.test(token) ? 9 : 1);
  return m;
}

describe('scoring in a step', () => {
  it('scores the passage as written and keeps its surprising sentence, with the passage\'s token heatmap', async () => {
    const m = model();
    const node = await writeStep(m, context({ kind: 'choice', choice: 1, text: 'Mara waits.' }), settings, []);
    // A chosen plan is the model's own text: only the passage is scored.
    expect(m.scoreRequests.map((r) => r.text)).toEqual([PASSAGE]);
    // The passage is scored after the prompt it was written from (the answer's heading in front of it).
    expect(m.scoreRequests[0]?.context).toBe(m.requests[0]?.conversation.turns[0]?.answer);
    expect(node.tokens.map((t) => t.text).join('')).toBe(PASSAGE);
    expect(node.keyMemory).toEqual([
      expect.objectContaining({ text: 'Nobody spoke of Quennel and his clockwork heron.', turnAdded: 4, sourceNode: null }),
    ]);
    expect(node.ownEntryIds).toEqual([node.keyMemory[0]?.id]);
    expect(node.stats.scoringMs).toBeGreaterThanOrEqual(0);
  });

  it('scores the reader\'s own action where it stands in the prompt, after the passage is written (not delaying it)', async () => {
    const m = model();
    const action = 'I light the lantern for the ravens.';
    const node = await writeStep(m, context({ kind: 'action', text: action }), settings, []);
    expect(m.scoreRequests.map((r) => r.text)).toEqual([PASSAGE, action]);
    // Its context is the prompt up to the action.
    expect(m.scoreRequests[1]?.context).toMatch(/The reader chooses this action: $/u);
    expect(node.keyMemory.find((e) => e.text === action)).toMatchObject({ kind: 'user', offsets: null });
  });

  it('carries the previous memory one turn on: decayed, and reinforced when mentioned', async () => {
    const m = model();
    const previous: MemoryEntry[] = [
      { id: '1.p0', text: 'The gulls fear the quay.', kind: 'plot', score: 1, base: 2, turnAdded: 1, lastSeen: 1, pinned: false, sourceNode: 2, offsets: null },
      { id: '2.p0', text: 'Somebody stole a violin.', kind: 'chatter', score: 1, base: 1, turnAdded: 2, lastSeen: 2, pinned: false, sourceNode: 3, offsets: null },
    ];
    const node = await writeStep(m, context({ kind: 'plan', text: 'Mara waits.' }, previous), settings, []);
    expect(node.keyMemory.find((e) => e.id === '1.p0')).toMatchObject({ score: 2, lastSeen: 4 });
    expect(node.keyMemory.find((e) => e.id === '2.p0')?.score).toBeCloseTo(0.7);
  });

  it('recomputing an edited passage scores it and rebuilds its memory from the parent\'s', async () => {
    const m = model();
    const result = await rememberPassage(m, context({ kind: 'plan', text: 'Mara waits.' }), PASSAGE, settings);
    expect(m.scoreRequests.map((r) => r.text)).toEqual([PASSAGE, 'Mara waits.']);
    expect(result.tokens.map((t) => t.text).join('')).toBe(PASSAGE);
    expect(result.keyMemory.map((e) => e.text)).toContain('Nobody spoke of Quennel and his clockwork heron.');
  });

  it('stops with CANCELLED when cancelled while scoring', async () => {
    const m = model();
    const controller = new AbortController();
    const scoreText = m.scoreText.bind(m);
    m.scoreText = (text, ctx, options) => {
      controller.abort();
      return scoreText(text, ctx, options);
    };
    await expect(writeStep(m, context({ kind: 'action', text: 'I run.' }), settings, [], { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('scores recorded while writing', () => {
  function writingModel(): ScriptedModel {
    const m = model();
    m.scoresWhileWriting = true;
    return m;
  }

  it('are the passage\'s scores: the passage is not scored again, the reader\'s own words still are', async () => {
    const m = writingModel();
    const action = 'I light the lantern for the ravens.';
    const node = await writeStep(m, context({ kind: 'action', text: action }), settings, []);
    expect(m.requests[0]?.options.scoreTokens).toBe(true);
    expect(m.scoreRequests.map((r) => r.text)).toEqual([action]);
    expect(node.tokens.map((t) => t.text).join('')).toBe(PASSAGE);
    expect(node.tokens.find((t) => t.text === ' Quennel')?.surprisal).toBe(9);
    expect(node.keyMemory.map((e) => e.text)).toContain('Nobody spoke of Quennel and his clockwork heron.');
    // The writing's share of scoring (the scripted model reports 0.5 ms) is counted in the step's stats.
    expect(node.stats.scoringMs).toBeGreaterThanOrEqual(0.5);
  });

  it('follow a passage cut back to its last sentence: tokens beyond it are dropped', async () => {
    const m = writingModel();
    const node = await writeStep(m, context({ kind: 'plan', text: 'Mara waits.' }), { ...settings, passageTokens: 16 }, []);
    expect(node.passage).toBe('The fog lifted at noon. Mara walked the quay. Gulls circled the masts.');
    expect(node.tokens.map((t) => t.text).join('')).toBe(node.passage);
    expect(m.scoreRequests.map((r) => r.text)).toEqual(['Mara waits.']);
  });

  it('rescore only the end of the passage when a token straddles the cut', async () => {
    const m = writingModel();
    // Tokens of four characters: the sentence end (at 70) falls inside one.
    const generate = m.generate.bind(m);
    m.generate = async (conversation, options) => {
      const generation = await generate(conversation, options);
      const chunks = generation.text.match(/[\s\S]{1,4}/gu) ?? [];
      const tokens = chunks.map((text, i) => ({ text, surprisal: 4, start: i * 4, end: i * 4 + text.length }));
      return { ...generation, score: { ...(generation.score as TextScore), tokens } };
    };
    const node = await writeStep(m, context({ kind: 'plan', text: 'Mara waits.' }), { ...settings, passageTokens: 16 }, []);
    const passage = 'The fog lifted at noon. Mara walked the quay. Gulls circled the masts.';
    expect(node.passage).toBe(passage);
    const covered = Math.floor(passage.length / 4) * 4;
    // The passage's cut end first, the reader's words once the passage is written.
    expect(m.scoreRequests.map((r) => r.text)).toEqual([passage.slice(covered), 'Mara waits.']);
    expect(passage.slice(covered)).toBe('s.');
    expect(node.tokens.map((t) => t.text).join('')).toBe(passage);
    expect(node.tokens.slice(0, covered / 4).every((t) => t.surprisal === 4)).toBe(true);
  });

  it('of a regenerated passage are the second writing\'s', async () => {
    const repeated = 'The boats were gone. The boats were gone. The boats were gone.';
    const fresh = 'Quennel came back at dawn with a heron made of clockwork.';
    const m = new ScriptedModel(passagesInTurn([repeated, fresh]));
    m.scoresWhileWriting = true;
    m.surprisal = () => 2;
    const node = await writeStep(m, context({ kind: 'plan', text: 'Mara waits.' }), settings, [repeated]);
    expect(node.stats.regenerated).toBe(true);
    expect(node.passage).toBe(fresh);
    expect(node.tokens.map((t) => t.text).join('')).toBe(fresh);
    expect(m.scoreRequests.map((r) => r.text)).toEqual(['Mara waits.']);
  });
});
