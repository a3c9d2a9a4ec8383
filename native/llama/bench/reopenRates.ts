import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Conversation } from '../Conversation.js';
import { LlamaRuntime } from '../LlamaRuntime.js';
import { medianOf } from './decodeRates.js';

export interface ReopenRates {
  /** Time to first token on a freshly loaded model, the prompt's saved state offered; median, ms. */
  withStateMs: number;
  /** The same reading the prompt; median, ms. */
  withoutStateMs: number;
  promptTokens: number;
}

const SENTENCE = 'The keeper climbed the stairs at dusk, lit the lamp, and wrote the passing ships into her log. ';

/**
 * P3 at the model layer, without the engine's own per-step work: a prompt filling `fill` of the context is read
 * and saved once; then, on a fresh load each time, its continuation's first token is timed with the state file
 * and without. Medians over `repeats`, the two alternating so drift affects both alike.
 */
export async function reopenRates(file: string, options: { contextSize: number; threads: number; repeats: number; fill?: number }): Promise<ReopenRates> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-reopen-model-'));
  const runtime = await LlamaRuntime.create({ gpu: 'off', threads: options.threads });
  try {
    const stateDir = path.join(dir, 'kv');
    const writer = await runtime.loadModel(file, { contextSize: options.contextSize, promptFormat: 'completion', stateDir });
    let start: Conversation;
    try {
      const target = Math.floor(writer.contextSize * (options.fill ?? 0.8));
      const perSentence = Math.max(1, writer.countTokens(SENTENCE));
      start = { system: '', turns: [{ user: SENTENCE.repeat(Math.max(1, Math.floor(target / perSentence))), answer: '' }] };
      await writer.session('bench').keep(1, start);
    } finally {
      await writer.dispose();
    }
    const next: Conversation = { system: '', turns: [{ user: `${start.turns[0]?.user ?? ''}Then`, answer: '' }] };
    const firstToken = async (withState: boolean): Promise<{ ms: number; tokens: number }> => {
      const model = await runtime.loadModel(file, { contextSize: options.contextSize, promptFormat: 'completion', stateDir: withState ? stateDir : undefined });
      try {
        const session = model.session('bench');
        session.resumeFrom(1);
        const started = performance.now();
        let first = 0;
        const generation = await session.generate(next, { maxTokens: 2, seed: 1, onText: () => (first ||= performance.now()) });
        return { ms: (first || performance.now()) - started, tokens: generation.promptTokens };
      } finally {
        await model.dispose();
      }
    };
    const withState: number[] = [];
    const without: number[] = [];
    let promptTokens = 0;
    for (let i = 0; i < options.repeats; i++) {
      withState.push((await firstToken(true)).ms);
      const cold = await firstToken(false);
      without.push(cold.ms);
      promptTokens = cold.tokens;
    }
    return { withStateMs: medianOf(withState), withoutStateMs: medianOf(without), promptTokens };
  } finally {
    await runtime.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
