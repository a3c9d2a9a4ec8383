import { describe, expect, it } from 'vitest';
import type { CatalogModelView, ModelListing } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { EngineState } from './EngineState.svelte.js';
import { formatBytes, ModelsState } from './ModelsState.svelte.js';

const catalogModel: CatalogModelView = {
  id: 'tiny',
  name: 'Tiny Stories',
  uri: 'hf:x/tiny',
  sizeBytes: 1000,
  quantisation: 'Q8_0',
  licence: 'MIT',
  contextLength: 512,
  role: 'writer',
  tier: 'cpu',
  minRamGb: 1,
  minVramGb: 0,
  why: 'Small and quick.',
  fit: { verdict: 'fits-cpu', note: 'runs on the CPU' },
  path: null,
  partialBytes: 0,
};
const listing: ModelListing = {
  dir: '/models',
  hardware: { backend: 'cpu', backendName: 'CPU', fallbackReason: 'No GPU found.', devices: [], vramBytes: null, ramBytes: 8e9, threads: 2 },
  catalog: [catalogModel],
  local: [],
};
const STATUS = { version: '1', model: { state: 'none' as const }, dbPath: '/db' };

function setup() {
  const backend = new FakeBackend().on('models.list', () => listing).on('engine.status', () => STATUS);
  const engine = new EngineState(backend);
  return { backend, engine, models: new ModelsState(backend, engine) };
}

describe('ModelsState', () => {
  it('lists the catalog, the files on disk and the hardware', async () => {
    const { models } = setup();
    await models.refresh();
    expect(models.listing?.catalog[0]?.id).toBe('tiny');
    expect(models.listing?.hardware?.fallbackReason).toBe('No GPU found.');
  });

  it('downloads with progress, then lists again', async () => {
    const { backend, models } = setup();
    let during: unknown = null;
    backend.on('models.download', (_request, { emit }) => {
      emit({ kind: 'download', downloadedBytes: 400, totalBytes: 1000, bytesPerSecond: 200, secondsLeft: 3 });
      during = models.download('tiny');
      return { path: '/models/tiny.gguf', sizeBytes: 1000, resumedBytes: 0, alreadyPresent: false, catalogId: 'tiny', uri: 'hf:x/tiny' };
    });
    expect(await models.fetch({ id: 'tiny' })).toBe(true);
    expect(during).toEqual({ downloadedBytes: 400, totalBytes: 1000, bytesPerSecond: 200, secondsLeft: 3 });
    expect(models.isDownloading('tiny')).toBe(false);
    expect(models.notice).toBe('Downloaded to /models/tiny.gguf.');
    expect(backend.callsOf('models.list')).toHaveLength(1);
  });

  it('pauses a download by cancelling it; what arrived is kept for resuming', async () => {
    const { backend, models } = setup();
    backend.on('models.download', () => new Promise(() => {}));
    const downloading = models.fetch({ id: 'tiny' });
    await Promise.resolve();
    expect(models.isDownloading('tiny')).toBe(true);
    expect(await models.fetch({ id: 'tiny' })).toBe(false);
    models.cancel('tiny');
    expect(await downloading).toBe(false);
    expect(models.error).toBeNull();
    expect(models.notice).toMatch(/Resume picks it up/);
  });

  it('shows a failed download', async () => {
    const { backend, models } = setup();
    backend.fail('models.download', 'INTERNAL', 'Network unreachable.');
    await models.fetch({ id: 'tiny' });
    expect(models.error).toMatch(/Network unreachable/);
  });

  it('opens a model on disk through the engine', async () => {
    const { backend, models } = setup();
    backend.on('model.open', ({ path }) => ({ ...STATUS, model: { state: 'configured' as const, path } }));
    expect(await models.use('/models/tiny.gguf')).toBe(true);
    expect(backend.callsOf('model.open')).toEqual([{ path: '/models/tiny.gguf' }]);
    expect(models.notice).toBe('The model is ready.');
  });

  it('formats sizes as people read them', () => {
    expect([512, 2048, 734 * 1024 ** 2, 4.1 * 1024 ** 3].map(formatBytes)).toEqual(['512 B', '2.0 KB', '734 MB', '4.1 GB']);
  });
});
