import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { type CatalogEntry, catalogFileName } from '../../../electron/engine/models/ModelCatalog.js';
import { ModelService } from '../../../electron/engine/models/ModelService.js';
import type { ModelTools } from '../../../electron/engine/models/ModelTools.js';
import type { DownloadOptions } from '../../../native/llama/index.js';
import { NativeError } from '../../../native/NativeError.js';

const entry: CatalogEntry = {
  id: 'tiny-writer',
  name: 'Tiny Writer',
  uri: 'hf:user/Tiny-GGUF/tiny-Q4_K_M.gguf',
  sizeBytes: 2e9,
  quantisation: 'Q4_K_M',
  licence: 'MIT',
  contextLength: 4096,
  role: 'writer',
  tier: 'cpu',
  minRamGb: 4,
  minVramGb: 0,
  why: 'A writer for the test.',
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-model-service-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Tools that report a CPU machine, call every .gguf holding "GOOD" valid, and download on demand. */
function fakeTools(download?: (options: DownloadOptions) => Promise<void>): ModelTools {
  return {
    hardware: async () => ({
      requested: 'auto',
      backend: 'cpu',
      backendName: 'CPU',
      fallbackReason: null,
      devices: [],
      vram: null,
      ram: { totalBytes: 16 * 1024 ** 3, freeBytes: 8 * 1024 ** 3 },
      cpu: { model: 'test', logicalCores: 4, availableCores: 4 },
      threads: { default: 3, used: 3 },
      llamaCpp: { release: 'test', build: 'prebuilt' },
      platform: 'test',
    }),
    inspect: async (file) => {
      if (!fs.readFileSync(file, 'utf8').includes('GOOD')) throw new NativeError('MODEL_NOT_GGUF', `${file} is not GGUF`);
      return {
        model: { version: 3, architecture: 'llama', name: 'n', tensorCount: 1, trainContextSize: 4096, sizeBytes: 4, hasChatTemplate: false },
        fit: { verdict: 'fits-cpu', score: 1, gpuLayers: 0, totalLayers: 2, contextSize: 4096, ramBytes: 1, vramBytes: 0 },
      };
    },
    download: async (options) => {
      await download?.(options);
      const file = path.join(options.directory, options.fileName ?? 'x.gguf');
      fs.writeFileSync(file, 'GOOD');
      return { path: file, sizeBytes: 4, resumedBytes: 0, alreadyPresent: false, model: (await fakeTools().inspect(file)).model };
    },
  };
}

function service(name: string, tools: ModelTools, configured?: string): ModelService {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  return new ModelService({ dir: folder, tools, catalog: [entry], configuredPath: () => configured });
}

const call = (events: CallEvent[] = [], signal = new AbortController().signal) => ({ emit: (e: CallEvent) => events.push(e), signal });

describe('ModelService', () => {
  it('lists ready, invalid and partial files; a partial catalog download shows its bytes', async () => {
    const models = service('mixed', fakeTools());
    fs.writeFileSync(path.join(models.dir, 'a-good.gguf'), 'GOOD');
    fs.writeFileSync(path.join(models.dir, 'b-bad.gguf'), 'nope');
    fs.writeFileSync(path.join(models.dir, `${catalogFileName(entry)}.ipull`), Buffer.alloc(1234));
    fs.writeFileSync(path.join(models.dir, 'notes.txt'), 'ignored');
    const listing = await models.list();
    expect(listing.local.map((m) => [m.fileName, m.state, m.error?.code ?? null, m.catalogId])).toEqual([
      ['a-good.gguf', 'ready', null, null],
      ['b-bad.gguf', 'invalid', 'MODEL_NOT_GGUF', null],
      ['tiny-Q4_K_M.gguf.ipull', 'partial', null, 'tiny-writer'],
    ]);
    expect(listing.catalog[0]).toMatchObject({ id: 'tiny-writer', path: null, partialBytes: 1234, fit: { verdict: 'fits-cpu' } });
    expect(listing.local[0]?.fit).toMatchObject({ verdict: 'fits-cpu', note: 'runs on the CPU, 4096-token context' });
  });

  it('downloads a catalog model under its catalog file name and forwards progress as download events', async () => {
    const models = service('by-id', fakeTools(async (options) => options.onProgress?.({ downloadedBytes: 2, totalBytes: 4, bytesPerSecond: 1, secondsLeft: 2 })));
    const events: CallEvent[] = [];
    const result = await models.download({ id: 'tiny-writer' }, call(events));
    expect(result).toEqual({ path: path.join(models.dir, 'tiny-Q4_K_M.gguf'), sizeBytes: 4, resumedBytes: 0, alreadyPresent: false, catalogId: 'tiny-writer', uri: entry.uri });
    expect(events).toEqual([{ kind: 'download', downloadedBytes: 2, totalBytes: 4, bytesPerSecond: 1, secondsLeft: 2 }]);
    // Asked for by its URI, a catalog model is still recognised.
    expect((await models.download({ uri: entry.uri }, call())).catalogId).toBe('tiny-writer');
    expect((await models.list()).catalog[0]?.path).toBe(path.join(models.dir, 'tiny-Q4_K_M.gguf'));
  });

  it('refuses a second download of the same file while the first runs', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const models = service('twice', fakeTools(() => gate));
    const first = models.download({ id: 'tiny-writer' }, call());
    await expect(models.download({ id: 'tiny-writer' }, call())).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', message: /already being downloaded/ });
    release();
    await expect(first).resolves.toMatchObject({ catalogId: 'tiny-writer' });
    await expect(models.download({ id: 'tiny-writer' }, call())).resolves.toMatchObject({ catalogId: 'tiny-writer' });
  });

  it('when llama.cpp cannot start, lists with unknown fits instead of failing', async () => {
    const tools = { ...fakeTools(), hardware: () => Promise.reject(new Error('no llama')) };
    const listing = await service('no-llama', tools).list();
    expect(listing.hardware).toBeNull();
    expect(listing.catalog[0]?.fit.verdict).toBe('unknown');
  });

  it('lists the configured model even outside the models folder, and marks it', async () => {
    const elsewhere = path.join(dir, 'elsewhere.gguf');
    fs.writeFileSync(elsewhere, 'GOOD');
    const listing = await service('configured', fakeTools(), elsewhere).list();
    expect(listing.local).toEqual([expect.objectContaining({ path: elsewhere, configured: true, state: 'ready' })]);
  });
});
