import { afterEach, describe, expect, it } from 'vitest';
import { LongtaleError } from '../../../electron/contract/index.js';
import { EMBEDDING_SETTING, EmbedderHost } from '../../../electron/engine/EmbedderHost.js';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { ScriptedEmbedder } from '../../fixtures/ScriptedEmbedder.js';

let store: Store;
afterEach(() => store?.dispose());

describe('EmbedderHost', () => {
  it('is inert without a configured model', async () => {
    store = openStore(':memory:');
    const host = new EmbedderHost(async () => new ScriptedEmbedder(), store.settings, store.passages, undefined);
    expect(host.path).toBeUndefined();
    expect(await host.get()).toBeUndefined();
    expect(store.passages.vectorDimensions).toBeUndefined();
  });

  it('loads once, enables that model’s vectors and remembers the model; a failed load falls back to keywords and is tried again next time', async () => {
    store = openStore(':memory:');
    let attempts = 0;
    const loaded: ScriptedEmbedder[] = [];
    const host = new EmbedderHost(
      async (file) => {
        attempts += 1;
        if (attempts === 1) throw new LongtaleError('MODEL_LOAD_FAILED', `${file}: out of memory`);
        loaded.push(new ScriptedEmbedder(file));
        return loaded.at(-1)!;
      },
      store.settings,
      store.passages,
      '/e.gguf',
    );
    expect(await host.get()).toBeUndefined();
    expect(host.failure).toEqual({ code: 'MODEL_LOAD_FAILED', message: '/e.gguf: out of memory' });
    expect(store.settings.get(EMBEDDING_SETTING)).toBeUndefined();
    expect(store.passages.vectorDimensions).toBeUndefined();
    const [a, b] = await Promise.all([host.get(), host.get()]);
    expect(a).toBeDefined();
    expect(host.failure).toBeNull();
    expect(a).toBe(b);
    expect(attempts).toBe(2);
    expect(store.passages.vectorDimensions).toBe(a!.dimensions);
    expect(store.settings.get(EMBEDDING_SETTING)).toBe('/e.gguf');
    await host.dispose();
    expect(loaded.map((e) => e.disposed)).toEqual([true]);
  });

  it('says so when the engine’s loader cannot load embedding models', async () => {
    store = openStore(':memory:');
    const host = new EmbedderHost(undefined, store.settings, store.passages, '/e.gguf');
    expect(await host.get()).toBeUndefined();
    expect(host.failure).toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('/e.gguf') });
  });
});
