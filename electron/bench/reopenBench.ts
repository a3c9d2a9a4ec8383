import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallEvent, StepInput } from '../contract/index.js';
import { Engine, kvStateDir } from '../engine/Engine.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { median } from './percentiles.js';
import { BENCH_PREMISE } from './benchPremise.js';

export interface ReopenFigures {
  /** Time to first token continuing a story right after the model loaded, with its KV state file; median, ms. */
  withStateMs: number;
  /**
   * The same continuing with the reader's own action instead, which the engine could not read ahead: the state
   * file then covers the prompt up to the instruction.
   */
  actionWithStateMs: number;
  /** The same with the state files moved away, so the prompt is read; median, ms. */
  withoutStateMs: number;
  /** Prompt tokens of the continued passage (the sections, as the preview counts them). */
  promptTokens: number;
  /** Tokens the sections may use in this context: the prompt is as full as a long story's. */
  budgetTokens: number;
  repeats: number;
}

const WINDS = ['north', 'east', 'south', 'west'];

/** The first plan, which the engine reads ahead after each step; a plan of our own when the model made none. */
const continueFrom = (plans: number): StepInput => (plans > 0 ? { choice: 1 } : { plan: 'Continue the story.' });

/** Facts are never cut from the prompt, so they fill it up to a share of its budget; the passages do the rest. */
const FILL_SHARE = 0.7;
/** Passages written before the reopened one: enough for memory, related passages and a trimmed prompt. */
const STEPS = 4;

/**
 * P3: a story whose prompt fills its budget, as a long story's does (facts, several passages with their memory,
 * the previous passage cut to fit), is continued from its last node by a freshly started engine (a new model
 * load: an empty cache), with its KV state file and without. Each repeat times both; the continuation is
 * stopped at its first token.
 */
export async function reopenBench(model: string, options: { contextSize: number; threads: number; repeats: number }): Promise<ReopenFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-reopen-'));
  const dbPath = path.join(dir, 'bench.db');
  const stateDir = kvStateDir(dbPath) ?? path.join(dir, 'kv');
  const open = () =>
    Engine.open({
      dbPath,
      modelPath: model,
      loader: llamaModelLoader({ gpu: 'auto', threads: options.threads, contextSize: options.contextSize }),
      version: 'bench',
      generation: { seed: 5 },
    });
  const call = (emit: (e: CallEvent) => void = () => undefined, signal = new AbortController().signal) => ({ signal, emit });
  try {
    const { storyId, nodeId, input, promptTokens, budgetTokens } = await prepare(open, call);
    const withState: number[] = [];
    const action: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      withState.push(await timeToFirstToken(open, storyId, nodeId, input));
      action.push(await timeToFirstToken(open, storyId, nodeId, { action: 'She reads the letter aloud to the gulls.' }));
      fs.renameSync(stateDir, `${stateDir}.away`);
      try {
        without.push(await timeToFirstToken(open, storyId, nodeId, input));
      } finally {
        fs.rmSync(stateDir, { recursive: true, force: true });
        fs.renameSync(`${stateDir}.away`, stateDir);
      }
    }
    return { withStateMs: median(withState), actionWithStateMs: median(action), withoutStateMs: median(without), promptTokens, budgetTokens, repeats: options.repeats };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Call = (emit?: (e: CallEvent) => void, signal?: AbortSignal) => { signal: AbortSignal; emit(e: CallEvent): void };

interface Prepared {
  storyId: number;
  nodeId: number;
  input: StepInput;
  promptTokens: number;
  budgetTokens: number;
}

/** The story: facts until the prompt fills FILL_SHARE of its budget, then STEPS steps; the last one's state is saved. */
async function prepare(open: () => Engine, call: Call): Promise<Prepared> {
  const engine = open();
  try {
    const opened = await engine.stories.create({ premise: BENCH_PREMISE }, call());
    const storyId = opened.story.id;
    for (let i = 1; i < 1000; i++) {
      const preview = await engine.stories.preview(storyId, undefined, undefined, call());
      // A fact is about 40 tokens; stop before the next one would pass the share.
      if (preview.tokens + 40 > preview.budget * FILL_SHARE) break;
      engine.stories.facts.add(storyId, `Fact ${i}: the keeper's log for night ${i} records the lamp lit at dusk, ${i % 7} ships passing, and the wind from the ${WINDS[i % 4]}.`);
    }
    let node = opened.path.at(-1);
    for (let i = 0; i < STEPS; i++) {
      node = (await engine.stories.step(storyId, undefined, continueFrom(node?.plans.length ?? 0), call())).path.at(-1);
    }
    if (!node) throw new Error('The steps wrote no passage.');
    const input = continueFrom(node.plans.length);
    const preview = await engine.stories.preview(storyId, node.id, input, call());
    await engine.stories.settled();
    return { storyId, nodeId: node.id, input, promptTokens: preview.tokens, budgetTokens: preview.budget };
  } finally {
    await engine.dispose();
  }
}

/** A fresh engine, its model loaded first, continuing `nodeId` with `input`; stopped at the first token. */
async function timeToFirstToken(open: () => Engine, storyId: number, nodeId: number, input: StepInput): Promise<number> {
  const engine = open();
  try {
    // Load the model outside the timing (the shared session: the story's own sequence stays empty).
    await engine.stories.scoreText('The lamp.', '', { signal: new AbortController().signal, emit: () => undefined });
    const stop = new AbortController();
    let first = 0;
    const started = performance.now();
    const emit = (e: CallEvent) => {
      if (e.kind !== 'token' || first > 0) return;
      first = performance.now() - started;
      stop.abort();
    };
    await engine.stories.step(storyId, nodeId, input, { signal: stop.signal, emit }).catch((error: unknown) => {
      if (first === 0) throw error;
    });
    if (first === 0) throw new Error('The continuation wrote no token.');
    return first;
  } finally {
    await engine.dispose();
  }
}
