import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CallEvent, StoryNode } from '../contract/index.js';
import { Engine } from '../engine/Engine.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { BENCH_PREMISE } from './benchPremise.js';
import { median } from './percentiles.js';

export interface EngineFigures {
  steps: number;
  /**
   * Prompt tokens the model read for a step ÷ prompt tokens, steady state (the opening and first step left out),
   * counting with each step the tokens read ahead after its commit (the next prompt's start, see StoryStates).
   */
  evaluatedShare: number;
  /** The same counting only what the steps read themselves: the read-ahead's work left out. */
  inStepShare: number;
  /** Surprisal scoring time ÷ whole step time, median over steps. */
  scoringShare: number;
  /** Event-loop delay p99 while the engine wrote and scored, in ms. */
  eventLoopP99Ms: number;
  stepMedianMs: number;
  /** P2 of each story written, in order. */
  stories: number[];
}

export interface EngineBenchOptions {
  steps: number;
  contextSize: number;
  threads: number;
  /** The story's sampling seed: each repeat writes another story, since the figures depend on what is written. */
  seed: number;
}

/**
 * P2, P4 and P6 over `repeats` stories (medians of each figure): each written step by step on the real engine,
 * with its own stats and the event loop watched. A toy model's stories differ a lot (one writes a long outline,
 * which stays cached; another a short one), so one story is not a fair sample.
 */
export async function engineBench(model: string, options: Omit<EngineBenchOptions, 'seed'> & { repeats: number }): Promise<EngineFigures> {
  const runs: StoryFigures[] = [];
  for (let i = 0; i < Math.max(1, options.repeats); i++) runs.push(await writeBenchStory(model, { ...options, seed: 7 + i }));
  const of = (pick: (f: StoryFigures) => number) => median(runs.map(pick));
  return {
    steps: of((f) => f.steps),
    evaluatedShare: of((f) => f.evaluatedShare),
    inStepShare: of((f) => f.inStepShare),
    scoringShare: of((f) => f.scoringShare),
    eventLoopP99Ms: of((f) => f.eventLoopP99Ms),
    stepMedianMs: of((f) => f.stepMedianMs),
    stories: runs.map((f) => Math.round(f.evaluatedShare * 1000) / 1000),
  };
}

type StoryFigures = Omit<EngineFigures, 'stories'>;

async function writeBenchStory(model: string, options: EngineBenchOptions): Promise<StoryFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-engine-'));
  const engine = Engine.open({
    dbPath: path.join(dir, 'bench.db'),
    modelPath: model,
    loader: llamaModelLoader({ gpu: 'auto', threads: options.threads, contextSize: options.contextSize }),
    version: 'bench',
    generation: { seed: options.seed },
  });
  const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });
  try {
    const opened = await engine.stories.create({ premise: BENCH_PREMISE }, call());
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const nodes: StoryNode[] = [];
    for (let i = 0; i < options.steps; i++) {
      const view = await engine.stories.step(opened.story.id, undefined, { choice: (i % 3) + 1 }, call());
      const node = view.path.at(-1);
      if (node) nodes.push(node);
    }
    histogram.disable();
    // The read-ahead after the last step runs on after it: wait for it, so every step's count is complete.
    await engine.stories.settled();
    const steady = nodes.slice(1);
    const sum = (pick: (n: StoryNode) => number) => steady.reduce((total, n) => total + pick(n), 0);
    const promptTokens = Math.max(1, sum((n) => n.stats.promptTokens));
    const inStep = sum((n) => n.stats.evaluatedTokens);
    const readAhead = sum((n) => engine.stories.readAheadTokens(opened.story.id, n.id));
    const scoring = steady.map((n) => (n.stats.milliseconds > 0 ? (n.stats.scoringMs ?? 0) / n.stats.milliseconds : 0));
    const durations = steady.map((n) => n.stats.milliseconds);
    return {
      steps: nodes.length,
      evaluatedShare: (inStep + readAhead) / promptTokens,
      inStepShare: inStep / promptTokens,
      scoringShare: median(scoring),
      eventLoopP99Ms: histogram.percentile(99) / 1e6,
      stepMedianMs: median(durations),
    };
  } finally {
    await engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
