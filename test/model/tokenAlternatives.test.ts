import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, StoryNode } from '../../electron/contract/index.js';
import type { Engine } from '../../electron/engine/Engine.js';
import { openModelEngine, testCall as call } from '../fixtures/modelEngine.js';
import { isTrained, resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-alternatives-'));
let engine: Engine;
let storyId: number;
let node: StoryNode;
/** The first passage, which the opening wrote. */
let root: StoryNode;

beforeAll(async () => {
  engine = openModelEngine(path.join(dir, 'stories.db'), testModel.path, { seed: 5, passageTokens: 60 });
  const opened = await engine.stories.create({ premise: 'A girl finds a red ball in the park.' }, call());
  storyId = opened.story.id;
  root = opened.path[0]!;
  node = (await engine.stories.step(storyId, undefined, { choice: 1 }, call())).path.at(-1)!;
}, 120_000);

afterAll(async () => {
  await engine?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The passage's scored tokens, each with where it starts. */
function tokensOf(nodeId: number) {
  let at = 0;
  return engine.stories.memory.tokens(storyId, nodeId).tokens.map((t) => ({ ...t, start: (at += t.text.length) - t.text.length }));
}

describe('alternatives and rewriting from a token, on the real model', () => {
  it.each([
    ['a step', () => node],
    ['the opening', () => root],
  ])('gives the likeliest next tokens with the probabilities the heatmap scored (passage written by %s)', async (_by, passage) => {
    const { id, passage: text } = passage();
    const tokens = tokensOf(id);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    const gaps: number[] = [];
    for (const token of tokens.slice(1, 9)) {
      const candidates = await engine.stories.alternatives(storyId, id, token.start, call());
      expect(candidates.length).toBeGreaterThan(0);
      expect(candidates.length).toBeLessThanOrEqual(8);
      expect(new Set(candidates.map((c) => c.text)).size).toBe(candidates.length);
      for (const [i, c] of candidates.entries()) {
        expect(c.text.length).toBeGreaterThan(0);
        expect(c.probability).toBeGreaterThan(0);
        if (i > 0) expect(c.probability).toBeLessThanOrEqual(candidates[i - 1]!.probability);
      }
      expect(candidates.reduce((sum, c) => sum + c.probability, 0)).toBeLessThanOrEqual(1 + 1e-6);
      const written = candidates.find((c) => c.text === token.text);
      if (written) gaps.push(Math.abs(-Math.log(written.probability) - token.surprisal));
    }
    console.info(`the written token was among the alternatives at ${gaps.length} of 8 points; |ln p + s| up to ${Math.max(0, ...gaps).toFixed(3)} nats`);
    if (isTrained(testModel)) {
      // The same prompt and the same text before the token: the model's own probability of what it wrote. The
      // prefix is read back from text, so a token run the model split its own way may shift a value a little.
      expect(gaps.length).toBeGreaterThanOrEqual(4);
      expect([...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]).toBeLessThan(0.05);
    }
  }, 120_000);

  it('shows the prompt a passage was written from, fitted to the context with the model\'s tokenizer', async () => {
    const prompt = await engine.stories.writtenFrom(storyId, node.id, call());
    expect(node.instruction.kind).toBe('choice');
    expect(prompt.text).toContain(node.instruction.kind === 'choice' ? node.instruction.text : '');
    expect(prompt.tokens).toBeGreaterThan(0);
    expect(prompt.tokens).toBeLessThanOrEqual(prompt.budget);
    expect(prompt.sections.reduce((sum, s) => sum + s.tokens, 0)).toBeLessThanOrEqual(prompt.tokens);
  }, 120_000);

  it('writes a new version from an alternative, keeping the passage before it', async () => {
    const token = tokensOf(node.id)[3]!;
    const candidates = await engine.stories.alternatives(storyId, node.id, token.start, call());
    const other = candidates.find((c) => c.text !== token.text && c.text.trim() !== '') ?? candidates[0]!;
    const events: CallEvent[] = [];

    const view = await engine.stories.rewriteFrom(storyId, node.id, token.start, other.text, call(events));

    const sibling = view.path.at(-1)!;
    expect(sibling.parentId).toBe(node.parentId);
    expect(sibling.siblingCount).toBe(2);
    expect(sibling.passage.startsWith(`${node.passage.slice(0, token.start)}${other.text}`.trim())).toBe(true);
    expect(sibling.plans).toHaveLength(3);
    expect(sibling.shortMemory.trim().length).toBeGreaterThan(0);
    expect(tokensOf(sibling.id).map((t) => t.text).join('')).toBe(sibling.passage);
    expect(events.some((e) => e.kind === 'token')).toBe(true);
    expect(engine.stories.open(storyId, node.id).path.at(-1)!.passage).toBe(node.passage);
  }, 120_000);

  it('says so when the passage before the point no longer fits the context (an author made it long), and writes nothing', async () => {
    const long = `${node.passage} ${'The ball rolled on and on down the long green hill. '.repeat(40)}`;
    await engine.stories.editPassage(storyId, node.id, long);
    const end = long.trim().length;
    const before = engine.stories.tree(storyId).length;
    await expect(engine.stories.alternatives(storyId, node.id, end, call())).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
      message: expect.stringMatching(/the context holds 512/u),
    });
    await expect(engine.stories.rewriteFrom(storyId, node.id, end, ' Then', call())).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
    });
    expect(engine.stories.tree(storyId)).toHaveLength(before);
  }, 120_000);
});
