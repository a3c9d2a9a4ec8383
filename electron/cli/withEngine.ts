import type { Engine } from '../engine/Engine.js';
import type { CallContext } from '../engine/StoryService.js';
import type { CallEvent } from '../contract/index.js';
import { type GlobalOptions, openEngine } from './openEngine.js';

/** Runs a command against an engine opened from the global options, and always disposes it. */
export async function withEngine<T>(options: GlobalOptions, work: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = openEngine(options);
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

/** A call context for the CLI: Ctrl-C cancels the running call (nothing half-written is kept). */
export function cliCall(onEvent: (event: CallEvent) => void): CallContext & { done(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, emit: onEvent, done: () => process.off('SIGINT', onSigint) };
}
