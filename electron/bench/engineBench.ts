import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CallEvent, StoryNode } from '../contract/index.js';
import { Engine } from '../engine/Engine.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { BENCH_PREMISE } from './benchPremise.js';

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
}

/** P2, P4 and P6: a story written step by step on the real engine, with its own stats and the event loop watched. */
export async function engineBench(model: string, options: { steps: number; contextSize: number; threads: number }): Promise<EngineFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-engine-'));
  const engine = Engine.open({
    dbPath: path.join(dir, 'bench.db'),
    modelPath: model,
    loader: llamaModelLoader({ gpu: 'auto', threads: options.threads, contextSize: options.contextSize }),
    version: 'bench',
    generation: { seed: 7 },
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
    const scoring = steady.map((n) => (n.stats.milliseconds > 0 ? (n.stats.scoringMs ?? 0) / n.stats.milliseconds : 0)).sort((a, b) => a - b);
    const durations = steady.map((n) => n.stats.milliseconds).sort((a, b) => a - b);
    return {
      steps: nodes.length,
      evaluatedShare: (inStep + readAhead) / promptTokens,
      inStepShare: inStep / promptTokens,
      scoringShare: scoring[Math.floor(scoring.length / 2)] ?? 0,
      eventLoopP99Ms: histogram.percentile(99) / 1e6,
      stepMedianMs: durations[Math.floor(durations.length / 2)] ?? 0,
    };
  } finally {
    await engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
