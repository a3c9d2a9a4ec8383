import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LongtaleError } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { catalog } from '../../../electron/engine/models/catalog.js';
import { catalogFileName } from '../../../electron/engine/models/ModelCatalog.js';
import { resolveModelRef } from '../../../electron/engine/models/resolveModelRef.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

let dir: string;
const asked: string[] = [];
/** Stands in for node-llama-cpp's naming: `hf:u/r/name.gguf` is saved as `hf_u_name.gguf`. */
async function findDownloaded(uri: string, folder: string): Promise<string | undefined> {
  asked.push(uri);
  const file = path.join(folder, `hf_${uri.split('/')[0]!.slice(3)}_${uri.split('/').at(-1)}`);
  return fs.existsSync(file) ? file : undefined;
}
const context = () => ({ dir, catalog: catalog(), findDownloaded });
const writer = () => catalog().find((e) => e.role === 'writer')!;

async function failure(work: Promise<unknown>): Promise<LongtaleError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(LongtaleError);
    return error as LongtaleError;
  }
  throw new Error('expected a failure');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-ref-'));
  asked.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('resolveModelRef', () => {
  it('passes a path through untouched (loading checks it), without looking anything up', async () => {
    expect(await resolveModelRef('/models/x.gguf', context())).toBe('/models/x.gguf');
    expect(await resolveModelRef('relative/x.gguf', context())).toBe('relative/x.gguf');
    expect(asked).toEqual([]);
  });

  it('resolves a catalog id and its URI to the downloaded file in the models folder', async () => {
    const entry = writer();
    const file = path.join(dir, catalogFileName(entry));
    fs.writeFileSync(file, 'GGUF');
    expect(await resolveModelRef(entry.id, context())).toBe(file);
    expect(await resolveModelRef(entry.uri, context())).toBe(file);
  });

  it('tells the user which download to run for a catalog model not yet downloaded, and never downloads', async () => {
    const entry = writer();
    const byId = await failure(resolveModelRef(entry.id, context()));
    expect(byId.code).toBe('MODEL_NOT_FOUND');
    expect(byId.message).toContain(`longtale download ${entry.id}`);
    expect(byId.message).toContain(path.join(dir, catalogFileName(entry)));
    expect((await failure(resolveModelRef(entry.uri, context()))).message).toContain(`longtale download ${entry.id}`);

    fs.writeFileSync(path.join(dir, `${catalogFileName(entry)}.ipull`), 'GG');
    expect((await failure(resolveModelRef(entry.id, context()))).message).toMatch(/interrupted.*resumes it/);
  });

  it('resolves any other hf: URI through the downloader’s naming, or says to download it', async () => {
    const uri = 'hf:someone/Tiny-GGUF/tiny-Q8_0.gguf';
    const error = await failure(resolveModelRef(uri, context()));
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(error.message).toContain(`longtale download ${uri}`);
    fs.writeFileSync(path.join(dir, 'hf_someone_tiny-Q8_0.gguf'), 'GGUF');
    expect(await resolveModelRef(uri, context())).toBe(path.join(dir, 'hf_someone_tiny-Q8_0.gguf'));
    expect(asked).toEqual([uri, uri]);
  });

  it('prefers a file in the working folder named like a catalog id', async () => {
    const entry = writer();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      fs.writeFileSync(entry.id, 'GGUF');
      expect(await resolveModelRef(entry.id, context())).toBe(entry.id);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('the engine resolves --model and --embedding-model', () => {
  it('loads a downloaded catalog model by id; a missing one ends as a clear model error', async () => {
    const entry = writer();
    const loader = new ScriptedLoader();
    const engine = Engine.open({ dbPath: ':memory:', modelPath: entry.id, loader, version: 'test', modelsDir: dir });
    try {
      engine.preload();
      const none = await failure(engine.stories.create({ premise: 'A storm.' }, { signal: new AbortController().signal, emit: () => undefined }));
      expect(none.code).toBe('MODEL_NOT_FOUND');
      expect(engine.status().model).toMatchObject({ state: 'error', code: 'MODEL_NOT_FOUND', path: entry.id });
      expect(loader.loaded).toEqual([]);

      const file = path.join(dir, catalogFileName(entry));
      fs.writeFileSync(file, 'GGUF');
      // The models list marks the downloaded file as the configured one, not a file named like the id.
      const local = (await engine.models.list()).local;
      expect(local.filter((m) => m.configured).map((m) => m.path)).toEqual([file]);
      await engine.openModel(entry.id);
      expect(loader.loaded).toEqual([file]);
      expect(engine.status().model).toMatchObject({ state: 'ready', path: file });
    } finally {
      await engine.dispose();
    }
  });
});
