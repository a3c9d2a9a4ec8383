import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallEvent, DownloadedModel, EngineStatus, ModelListing, type ServerMessage } from '../../../electron/contract/index.js';
import { Connection } from '../../../electron/engine/Connection.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { llamaModelLoader } from '../../../electron/engine/llamaModelLoader.js';
import { catalog } from '../../../electron/engine/models/catalog.js';
import { writeBadGgufs } from '../../fixtures/bad/writeBadGgufs.js';
import { ensureTinyGguf, writeTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';
import { type RangeServer, startRangeServer } from '../../fixtures/http/rangeServer.js';

// The API end to end: the engine with the real llama.cpp loader (CPU), its models folder, and a local server.
let dir: string;
let modelsDir: string;
let engine: Engine;
let server: RangeServer;
let slow: RangeServer;
let big: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-models-api-'));
  modelsDir = path.join(dir, 'models');
  const source = path.join(dir, 'big.gguf');
  writeTinyGguf(source, { nEmbd: 256, nLayer: 4, nFf: 576 });
  big = fs.readFileSync(source);
  server = await startRangeServer();
  slow = await startRangeServer({ throttle: { bytes: 32 * 1024, everyMs: 10 } });
  engine = Engine.open({
    dbPath: path.join(dir, 'stories.db'),
    modelPath: ensureTinyGguf(),
    loader: llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 256 }),
    modelsDir,
    version: 'test',
  });
});

afterAll(async () => {
  await engine.dispose();
  await server.close();
  await slow.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect() {
  const sent: ServerMessage[] = [];
  const connection = new Connection(engine, (m) => sent.push(m));
  const settled = (id: number) =>
    new Promise<ServerMessage>((resolve) => {
      const poll = () => {
        const done = sent.find((m) => m.id === id && m.type !== 'event');
        if (done) resolve(done);
        else setTimeout(poll, 5);
      };
      poll();
    });
  const events = (id: number) => sent.filter((m) => m.id === id && m.type === 'event').map((m) => CallEvent.parse((m as { event: unknown }).event));
  return { connection, sent, settled, events };
}

describe('models.* through the API', () => {
  it('models.download streams download events and returns the saved model', async () => {
    server.set('story-model.gguf', big);
    const { connection, settled, events } = connect();
    connection.receive({ type: 'call', id: 1, method: 'models.download', params: { uri: server.url('story-model.gguf') } });
    const final = await settled(1);
    expect(final.type).toBe('result');
    const result = DownloadedModel.parse((final as { result: unknown }).result);
    expect(result).toMatchObject({ path: path.join(modelsDir, 'story-model.gguf'), sizeBytes: big.length, alreadyPresent: false, catalogId: null });
    const progress = events(1).filter((e) => e.kind === 'download');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ downloadedBytes: big.length, totalBytes: big.length });
  });

  it('a cancel message stops a download with CANCELLED; the same request later resumes it', async () => {
    slow.set('slow-model.gguf', big);
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 2, method: 'models.download', params: { uri: slow.url('slow-model.gguf') } });
    const start = Date.now();
    // Cancel once a first chunk is on disk (before that there is nothing to keep).
    while (!fs.existsSync(path.join(modelsDir, 'slow-model.gguf.ipull'))) {
      if (Date.now() - start > 20_000) throw new Error('no progress');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    connection.receive({ type: 'cancel', id: 2 });
    const final = await settled(2);
    expect(final).toMatchObject({ type: 'error', error: { code: 'CANCELLED' } });
    expect(fs.existsSync(path.join(modelsDir, 'slow-model.gguf'))).toBe(false);
    expect(fs.existsSync(path.join(modelsDir, 'slow-model.gguf.ipull'))).toBe(true);

    connection.receive({ type: 'call', id: 3, method: 'models.download', params: { uri: slow.url('slow-model.gguf') } });
    const again = await settled(3);
    expect(again.type).toBe('result');
    expect(fs.readFileSync(path.join(modelsDir, 'slow-model.gguf')).equals(big)).toBe(true);
  });

  it('refuses an unknown catalog id and a malformed request', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 4, method: 'models.download', params: { id: 'no-such-model' } });
    const unknown = await settled(4);
    expect(unknown).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
    expect((unknown as { error: { message: string } }).error.message).toContain(catalog()[0]?.id);
    connection.receive({ type: 'call', id: 5, method: 'models.download', params: { id: 'a', uri: 'hf:x/y:Q4_K_M' } });
    expect(await settled(5)).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
  });

  it('models.list: the catalog with fits, local files with their state, and the configured model', async () => {
    writeBadGgufs(path.join(dir, 'bad'));
    fs.copyFileSync(path.join(dir, 'bad', 'tensor-data-cut.gguf'), path.join(modelsDir, 'broken.gguf'));
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 6, method: 'models.list', params: {} });
    const final = await settled(6);
    expect(final.type).toBe('result');
    const listing = ModelListing.parse((final as { result: unknown }).result);

    expect(listing.dir).toBe(modelsDir);
    expect(listing.hardware).toMatchObject({ backend: 'cpu', fallbackReason: null, threads: 1 });
    expect(listing.catalog.map((m) => m.id)).toEqual(catalog().map((m) => m.id));
    for (const model of listing.catalog) expect(['fits-gpu', 'partial-gpu', 'fits-cpu', 'too-large']).toContain(model.fit.verdict);

    const byName = Object.fromEntries(listing.local.map((m) => [m.fileName, m]));
    expect(byName['story-model.gguf']).toMatchObject({ state: 'ready', architecture: 'llama', configured: false, fit: { verdict: 'fits-cpu' } });
    expect(byName['broken.gguf']).toMatchObject({ state: 'invalid', error: { code: 'MODEL_CORRUPT' } });
    expect(byName['broken.gguf']?.error?.message).toMatch(/truncated/);
    // The configured model lives outside the models folder and is listed too.
    expect(listing.local.find((m) => m.configured)).toMatchObject({ path: ensureTinyGguf(), state: 'ready' });
  });

  it('engine.status carries the backend and fallback reason once llama.cpp has started', async () => {
    const { connection, settled } = connect();
    connection.receive({ type: 'call', id: 7, method: 'engine.status', params: {} });
    const status = EngineStatus.parse((await settled(7) as { result: unknown }).result);
    expect(status.hardware).toEqual({ backend: 'cpu', fallbackReason: null });
  });
});

describe('a GPU that cannot be used, seen through the engine', () => {
  it('engine.status and models.list name the fallback reason', async () => {
    const local = Engine.open({ dbPath: ':memory:', loader: llamaModelLoader({ gpu: 'cuda', threads: 1 }), modelsDir: path.join(dir, 'empty'), version: 'test' });
    try {
      const listing = await local.models.list();
      if (listing.hardware?.backend === 'cuda') return; // a machine with CUDA: nothing to fall back from
      expect(listing.hardware?.fallbackReason).toMatch(/^CUDA was requested but cannot be used here/);
      expect(local.status().hardware).toEqual({ backend: 'cpu', fallbackReason: listing.hardware?.fallbackReason });
    } finally {
      await local.dispose();
    }
  });
});
