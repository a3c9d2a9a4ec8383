import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { Engine, kvStateDir } from '../../../electron/engine/Engine.js';
import type { RestoreReport, StorySession } from '../../../electron/engine/StorySession.js';
import type { Conversation, ScoreOptions, ScoreTarget, TextGenerateOptions } from '../../../electron/story/TextModel.js';
import { ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

/** A scripted model that keeps a cache per story, as the llama.cpp one does: it records what the engine asks of it. */
class SessionModel extends ScriptedModel {
  readonly log: string[] = [];
  readonly kept: { key: string; node: number; next: Conversation; promptKey?: string }[] = [];
  /** Prompts the sessions generated passages from (free text, not the JSON update). */
  readonly passagePrompts: Conversation[] = [];

  session(key: string): StorySession {
    return sessionOf(this, key);
  }
}

/** The model seen as story `key`: every call noted, then passed on. */
function sessionOf(model: SessionModel, key: string): StorySession {
  const note = (what: string) => model.log.push(`${key}: ${what}`);
  return {
    name: model.name,
    contextSize: model.contextSize,
    format: model.format,
    countTokens: (text: string) => model.countTokens(text),
    countConversation: (c: Conversation) => model.countConversation(c),
    generate: (c: Conversation, o: TextGenerateOptions) => (note('generate'), model.passagePrompts.push(c), model.generate(c, o)),
    generateJson: (c: Conversation, s: object, o: TextGenerateOptions) => (note('generateJson'), model.generateJson(c, s, o)),
    score: (c: Conversation, t?: ScoreTarget, o?: ScoreOptions) => (note('score'), model.score(c, t, o)),
    scoreText: (t: string, c?: string, o?: ScoreOptions) => (note('scoreText'), model.scoreText(t, c, o)),
    nextTokens: (c: Conversation, n: number, o?: { signal?: AbortSignal }) => (note('nextTokens'), model.nextTokens(c, n, o)),
    resumeFrom: (node: number) => note(`resume ${node}`),
    keep: async (node: number, next: Conversation, promptKey?: string) => {
      note(`keep ${node}`);
      model.kept.push({ key, node, next, promptKey });
      return { file: null, readTokens: 0 };
    },
    savedPrompt: (node: number) => {
      const kept = model.kept.findLast((k) => k.key === key && k.node === node);
      return kept?.promptKey ? { key: kept.promptKey, conversation: kept.next } : null;
    },
    get restore(): RestoreReport | null {
      return null;
    },
    forget: async () => void note('forget'),
  };
}

const dirs: string[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-sessions-'));
  dirs.push(dir);
  const loader = new ScriptedLoader(() => new SessionModel());
  const dbPath = path.join(dir, 'stories.db');
  const engine = Engine.open({ dbPath, modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 } });
  engines.push(engine);
  return { engine, dbPath, model: () => loader.models[0] as SessionModel };
}

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });

describe('story sessions in the engine', () => {
  it('a step runs on its story session, offered the state of the node it continues, and keeps the next prompt after the commit', async () => {
    const { engine, model } = setup();
    const opened = await engine.stories.create({ premise: 'A harbour town loses its boats.' }, call());
    const storyId = opened.story.id;
    const root = opened.currentNodeId;
    await engine.stories.settled();
    expect(model().kept.map((k) => [k.key, k.node])).toEqual([[String(storyId), root]]);

    model().log.length = 0;
    const view = await engine.stories.step(storyId, root, { choice: 2 }, call());
    await engine.stories.settled();
    const log = model().log;
    expect(log[0]).toBe(`${storyId}: resume ${root}`);
    expect(log.filter((l) => / generate| score/.test(l)).length).toBeGreaterThan(1);
    expect(log.every((l) => l.startsWith(`${storyId}: `))).toBe(true);
    expect(log.at(-1)).toBe(`${storyId}: keep ${view.currentNodeId}`);

    // What is kept is the whole next prompt for the first plan, the likeliest continuation: the new passage is in
    // it, and the plan stands under the instruction.
    const next = model().kept.at(-1)?.next.turns[0]?.user ?? '';
    const written = view.path.at(-1);
    expect(next).toContain(written?.passage.trim().slice(0, 40));
    expect(next).toContain(`## What happens next\n${written?.plans[0]?.text}`);
  });

  it('continuing with the likeliest choice writes from the prompt kept after the commit, unless what it was built from changed', async () => {
    const { engine, model } = setup();
    const opened = await engine.stories.create({ premise: 'A harbour town loses its boats.' }, call());
    const storyId = opened.story.id;
    const root = opened.currentNodeId;
    await engine.stories.settled();
    // Mark the kept prompt, so that using it shows: a prompt built again would not carry the mark.
    const kept = model().kept.at(-1)!;
    kept.next = { ...kept.next, turns: kept.next.turns.map((t) => ({ ...t, user: `${t.user}\n(kept)` })) };

    await engine.stories.step(storyId, root, { choice: 1 }, call());
    expect(model().passagePrompts.at(-1)?.turns[0]?.user.endsWith('(kept)')).toBe(true);

    // Another choice, or the same after a pinned fact, needs another prompt: it is built, and shows the fact.
    await engine.stories.undo(storyId);
    await engine.stories.step(storyId, root, { choice: 2 }, call());
    expect(model().passagePrompts.at(-1)?.turns[0]?.user).not.toContain('(kept)');
    await engine.stories.undo(storyId);
    engine.stories.facts.add(storyId, 'The lighthouse keeper is the mayor.');
    await engine.stories.step(storyId, root, { choice: 1 }, call());
    const built = model().passagePrompts.at(-1)?.turns[0]?.user ?? '';
    expect(built).not.toContain('(kept)');
    expect(built).toContain('The lighthouse keeper is the mayor.');
  });

  it('deleting a story forgets its session and its state folder', async () => {
    const { engine, dbPath, model } = setup();
    const opened = await engine.stories.create({ premise: 'A storm.' }, call());
    const folder = path.join(kvStateDir(dbPath) ?? '', String(opened.story.id));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'x-1.bin'), 'state');
    engine.library.delete(opened.story.id);
    await engine.stories.settled();
    expect(fs.existsSync(folder)).toBe(false);
    expect(model().log).toContain(`${opened.story.id}: forget`);
  });

  it('an in-memory database keeps no states', () => {
    expect(kvStateDir(':memory:')).toBeUndefined();
    expect(kvStateDir('/data/longtale.db')).toBe(path.join('/data', 'longtale.kv'));
  });
});
