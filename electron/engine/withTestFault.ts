import { LongtaleError } from '../contract/index.js';
import type { ModelLoader } from './ModelHost.js';

/** The word that, in a prompt, makes the model fail mid-stream; only when LONGTALE_TEST_FAULT names it. */
export const TEST_FAULT_ENV = 'LONGTALE_TEST_FAULT';

/**
 * TEST ONLY. End-to-end tests need the real engine to fail while it streams (a driver crash, say), which cannot be
 * caused from outside. With LONGTALE_TEST_FAULT=<word> set, a passage whose prompt contains <word> fails with
 * GENERATION_FAILED after its second streamed piece. Unset (always, outside those tests), the loader is returned
 * untouched.
 */
export function withTestFault(loader: ModelLoader, env: NodeJS.ProcessEnv = process.env): ModelLoader {
  const word = env[TEST_FAULT_ENV]?.trim();
  if (!word) return loader;
  return Object.assign(Object.create(loader) as ModelLoader, {
    async load(path: string, signal?: AbortSignal) {
      const model = await loader.load(path, signal);
      const generate = model.generate.bind(model);
      model.generate = (conversation, options) => {
        const prompt = [conversation.system, ...conversation.turns.map((t) => t.user)].join('\n');
        if (!prompt.includes(word) || !options.onText) return generate(conversation, options);
        let pieces = 0;
        const fail = () => new LongtaleError('GENERATION_FAILED', `Test fault (${TEST_FAULT_ENV}): the model failed mid-stream.`);
        const onText = (text: string) => {
          options.onText?.(text);
          if (++pieces === 2) throw fail();
        };
        return generate(conversation, { ...options, onText }).then(() => {
          throw fail();
        });
      };
      return model;
    },
  });
}
