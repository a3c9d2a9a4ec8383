import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../electron/engine/models/catalog.js';
import { catalogFit } from '../../../electron/engine/models/catalogFit.js';
import { type CatalogEntry, catalogFileName, HF_URI, ModelCatalog } from '../../../electron/engine/models/ModelCatalog.js';
import { downloadModel } from '../../../native/llama/downloadModel.js';
import { ensureTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';
import { type RangeServer, startRangeServer } from '../../fixtures/http/rangeServer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const raw: unknown = JSON.parse(fs.readFileSync(path.join(repoRoot, 'models/catalog.json'), 'utf8'));
const GIB = 1024 ** 3;

describe('models/catalog.json', () => {
  const parsed = ModelCatalog.safeParse(raw);

  it('matches the schema', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  const models = parsed.success ? parsed.data.models : [];

  it('has 6 to 10 writers and one or two embedding models', () => {
    const writers = models.filter((m) => m.role === 'writer');
    const embedders = models.filter((m) => m.role === 'embedding');
    expect(writers.length).toBeGreaterThanOrEqual(6);
    expect(writers.length).toBeLessThanOrEqual(10);
    expect(embedders.length).toBeGreaterThanOrEqual(1);
    expect(embedders.length).toBeLessThanOrEqual(2);
  });

  it('covers every tier with at least one writer', () => {
    const tiers = new Set(models.filter((m) => m.role === 'writer').map((m) => m.tier));
    expect([...tiers].sort()).toEqual(['16gb', '4gb', '8gb', 'cpu']);
  });

  it('has unique ids, URIs and file names', () => {
    for (const key of [(m: CatalogEntry) => m.id, (m: CatalogEntry) => m.uri, catalogFileName]) {
      const values = models.map(key);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('uses well-formed hf: URIs naming a .gguf file of the stated quantisation', () => {
    for (const model of models) {
      expect(model.uri, model.id).toMatch(HF_URI);
      expect(model.uri, model.id).toMatch(/^hf:[^/]+\/[^/]+\/.+\.gguf$/);
      expect(catalogFileName(model).toUpperCase(), model.id).toContain(model.quantisation);
    }
  });

  it('states plausible needs: the file fits in the RAM asked for, and in the VRAM for GPU tiers', () => {
    for (const model of models) {
      expect(model.sizeBytes / GIB, model.id).toBeLessThan(model.minRamGb);
      if (model.minVramGb > 0) expect(model.sizeBytes / GIB, model.id).toBeLessThan(model.minVramGb);
    }
  });

  it('the engine loads the same catalog', () => {
    expect(catalog()).toEqual(models);
  });
});

describe('ModelCatalog schema rejects bad entries', () => {
  const good: CatalogEntry = {
    id: 'tiny',
    name: 'Tiny',
    uri: 'hf:user/Tiny-GGUF/tiny-Q4_K_M.gguf',
    sizeBytes: 1000,
    quantisation: 'Q4_K_M',
    licence: 'MIT',
    contextLength: 2048,
    role: 'writer',
    tier: 'cpu',
    minRamGb: 1,
    minVramGb: 0,
    why: 'A tiny model for the schema test.',
  };
  const issues = (models: unknown[]) => ModelCatalog.safeParse({ version: 1, models }).error?.issues.map((i) => i.message) ?? [];

  it('accepts a good entry, including the :QUANT form', () => {
    expect(issues([good])).toEqual([]);
    expect(issues([{ ...good, uri: 'hf:user/Tiny-GGUF:Q4_K_M' }])).toEqual([]);
    expect(catalogFileName({ ...good, uri: 'hf:user/Tiny-GGUF:Q4_K_M' })).toBe('tiny.gguf');
    expect(catalogFileName({ ...good, uri: 'hf:user/Tiny-GGUF/sub/tiny-Q4_K_M.gguf#dev' })).toBe('tiny-Q4_K_M.gguf');
  });

  it.each([
    ['an https URL', { uri: 'https://huggingface.co/user/Tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf' }, /hf:user/],
    ['a repo without a file or quant', { uri: 'hf:user/Tiny-GGUF' }, /hf:user/],
    ['a file that is not .gguf', { uri: 'hf:user/Tiny-GGUF/tiny-Q4_K_M.bin' }, /hf:user/],
    ['a quantisation missing from the URI', { quantisation: 'Q8_0' }, /Q8_0 does not appear/],
    ['VRAM outside the tier', { tier: '8gb', minVramGb: 12 }, /8gb model asks for/],
    ['a CPU model that needs VRAM', { minVramGb: 2 }, /cpu model asks for/],
    ['an embedding model in a GPU tier', { role: 'embedding', tier: '4gb', minVramGb: 2 }, /embedding models/],
    ['an upper-case id', { id: 'Tiny' }, /lower-case/],
    ['a two-line why', { why: 'line one\nline two is here' }, /one line/],
    ['an unknown field', { vram: 4 }, /unrecognized|Unrecognized/],
  ])('rejects %s', (_name, patch, message) => {
    expect(issues([{ ...good, ...patch }]).join('\n')).toMatch(message);
  });

  it('rejects duplicate ids and URIs', () => {
    expect(issues([good, { ...good, uri: 'hf:user/Other-GGUF/other-Q4_K_M.gguf' }]).join('\n')).toMatch(/duplicate id:tiny/);
    expect(issues([good, { ...good, id: 'other' }]).join('\n')).toMatch(/duplicate uri:/);
  });
});

describe('catalog URIs resolve through node-llama-cpp', () => {
  // No internet here: a local server plays Hugging Face, serving a tiny GGUF at the path each URI resolves to.
  let server: RangeServer;
  let dir: string;
  beforeAll(async () => {
    server = await startRangeServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-catalog-'));
    const tiny = fs.readFileSync(ensureTinyGguf());
    for (const model of catalog()) {
      const [user, repo, ...file] = model.uri.slice('hf:'.length).split('/');
      server.set(`${user}/${repo}/resolve/main/${file.join('/')}`, tiny);
    }
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every URI downloads from the path Hugging Face serves it at, under the catalog file name', async () => {
    for (const model of catalog()) {
      const result = await downloadModel({ uri: model.uri, directory: dir, fileName: catalogFileName(model), huggingFaceEndpoint: server.origin });
      expect(path.basename(result.path), model.id).toBe(catalogFileName(model));
    }
    expect(server.requests.filter((r) => r.range === undefined).map((r) => r.path).sort()).toEqual(
      catalog()
        .map((m) => {
          const [user, repo, ...file] = m.uri.slice('hf:'.length).split('/');
          return `/${user}/${repo}/resolve/main/${file.join('/')}`;
        })
        .sort(),
    );
  });
});

describe('catalogFit', () => {
  const model = (patch: Partial<CatalogEntry>): CatalogEntry => ({
    id: 'm',
    name: 'M',
    uri: 'hf:u/r/m-Q4_K_M.gguf',
    sizeBytes: 5e9,
    quantisation: 'Q4_K_M',
    licence: 'MIT',
    contextLength: 8192,
    role: 'writer',
    tier: '8gb',
    minRamGb: 8,
    minVramGb: 6,
    why: 'for the test',
    ...patch,
  });

  it('fits on a GPU with enough VRAM (an "8 GB" card reporting a little less still counts)', () => {
    expect(catalogFit(model({ minVramGb: 8 }), { ramBytes: 16 * GIB, vramBytes: 7.5 * GIB }).verdict).toBe('fits-gpu');
  });

  it('splits between GPU and CPU when VRAM is short but RAM is enough', () => {
    const fit = catalogFit(model({ minVramGb: 8 }), { ramBytes: 16 * GIB, vramBytes: 4 * GIB });
    expect(fit).toMatchObject({ verdict: 'partial-gpu' });
    expect(fit.note).toMatch(/8 GB of VRAM/);
  });

  it('runs on the CPU without a GPU, and says when that is slow', () => {
    expect(catalogFit(model({}), { ramBytes: 16 * GIB, vramBytes: null })).toEqual({ verdict: 'fits-cpu', note: 'runs on the CPU, slowly: it is made for a GPU' });
    expect(catalogFit(model({ tier: 'cpu', minVramGb: 0, minRamGb: 4, sizeBytes: 2e9 }), { ramBytes: 8 * GIB, vramBytes: null })).toEqual({
      verdict: 'fits-cpu',
      note: 'runs on the CPU',
    });
  });

  it('a CPU-tier model goes on a GPU that holds it', () => {
    expect(catalogFit(model({ tier: 'cpu', minVramGb: 0, minRamGb: 4, sizeBytes: 2e9 }), { ramBytes: 8 * GIB, vramBytes: 4 * GIB }).verdict).toBe('fits-gpu');
  });

  it('is too large when RAM is short', () => {
    const fit = catalogFit(model({ minRamGb: 24 }), { ramBytes: 8 * GIB, vramBytes: null });
    expect(fit.verdict).toBe('too-large');
    expect(fit.note).toBe('needs 24 GB of RAM; this machine has 8 GB');
  });
});
