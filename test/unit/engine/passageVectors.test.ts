import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallEvent, StoryView } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { catalog } from '../../../electron/engine/models/catalog.js';
import { catalogFileName } from '../../../electron/engine/models/ModelCatalog.js';
import type { Embedder } from '../../../electron/memory/Embedder.js';
import { openStore } from '../../../electron/store/openStore.js';
import { ScriptedEmbedder } from '../../fixtures/ScriptedEmbedder.js';
import { passagesInTurn, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

/** A scripted writer that can also load (scripted) embedding models, recording each. */
class EmbeddingLoader extends ScriptedLoader {
  readonly embedders: ScriptedEmbedder[] = [];
  constructor(
    passages: string[],
    readonly makeEmbedder: (file: string) => ScriptedEmbedder = (file) => new ScriptedEmbedder(file),
  ) {
    super(() => new ScriptedModel(passagesInTurn(passages)));
  }
  async loadEmbedder(file: string): Promise<Embedder> {
    const embedder = this.makeEmbedder(file);
    this.embedders.push(embedder);
    return embedder;
  }
}

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });
const leaf = (view: StoryView) => view.path.at(-1)!;

let dir: string;
let dbPath: string;
const engines: Engine[] = [];

function open(loader: ScriptedLoader, embeddingModelPath?: string): Engine {
  const engine = Engine.open({ dbPath, modelPath: '/m.gguf', loader, version: 'test', generation: { seed: 1 }, embeddingModelPath });
  engines.push(engine);
  return engine;
}

/** Rows of each model's vector table, read from the database file the engines wrote. */
function vectorCounts(models: { id: string; dimensions: number }[]): number[] {
  const store = openStore(dbPath);
  try {
    return models.map(({ id, dimensions }) => {
      store.passages.enableVectors(dimensions, id);
      return store.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${store.passages.vectorTable}`)?.n ?? -1;
    });
  } finally {
    store.dispose();
  }
}

function vectorTables(): string[] {
  const store = openStore(dbPath);
  try {
    return store.db.all<{ name: string }>(`SELECT name FROM sqlite_schema WHERE name GLOB 'node_vectors_*' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).map((r) => r.name);
  } finally {
    store.dispose();
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-vectors-'));
  dbPath = path.join(dir, 'stories.db');
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const SEA = 'Ships crossed the bay at dawn.';
const LAMP = 'A lamp burned on the tower.';
const WOODS = 'Deep woods grew behind the house.';
const SAILORS = 'Sailors, boats and ships crowded the harbour; the sea was full of sailors.';

describe('passage vectors (scripted embedder)', () => {
  it('without an embedding model nothing is embedded and no vector table is made', async () => {
    const loader = new EmbeddingLoader([LAMP, SEA]);
    const engine = open(loader);
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    await engine.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call());
    await engine.dispose();
    expect(loader.embedders).toEqual([]);
    expect(vectorTables()).toEqual([]);
  });

  it('commits a vector with every passage: the opening, steps, retries, edits', async () => {
    const loader = new EmbeddingLoader([LAMP, SEA, WOODS]);
    const engine = open(loader, '/embed.gguf');
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    const stepped = await engine.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call());
    await engine.stories.retry(opened.story.id, stepped.currentNodeId, call());
    await engine.stories.editPassage(opened.story.id, stepped.currentNodeId, 'The gold coins were gone.');
    const embedder = loader.embedders[0]!;
    expect(loader.embedders).toHaveLength(1);
    expect(embedder.embedded.some((t) => t.includes(LAMP))).toBe(true);
    expect(embedder.embedded.some((t) => t.includes(SEA))).toBe(true);
    expect(embedder.embedded.some((t) => t.includes(WOODS))).toBe(true);
    expect(embedder.embedded.some((t) => t.includes('The gold coins were gone.'))).toBe(true);
    await engine.dispose();
    expect(embedder.disposed).toBe(true);
    expect(vectorCounts([embedder])).toEqual([3]);
  });

  it('retrieval by meaning finds an ancestor BM25 cannot, and never a sibling branch', async () => {
    // root LAMP → a SEA → b WOODS; and a sibling of b, SAILORS, the closest text to the query of all.
    const loader = new EmbeddingLoader([LAMP, SEA, WOODS, SAILORS]);
    const engine = open(loader, '/embed.gguf');
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    const id = opened.story.id;
    const a = await engine.stories.step(id, undefined, { plan: 'Go on.' }, call());
    const b = await engine.stories.step(id, undefined, { plan: 'Go on.' }, call());
    const sibling = await engine.stories.retry(id, b.currentNodeId, call());
    expect([leaf(a).passage, leaf(b).passage, leaf(sibling).passage].map((p) => p.trim())).toEqual([SEA, WOODS, SAILORS]);
    await engine.stories.checkout(id, b.currentNodeId);

    // "vessel" and "dream" are in no passage or summary: BM25 alone finds nothing.
    const preview = await engine.stories.preview(id, b.currentNodeId, { action: 'I dream of a vessel' }, call());
    const related = preview.sections.find((s) => s.id === 'related');
    expect(related?.tokens ?? 0).toBeGreaterThan(0);
    expect(preview.text).toContain(leaf(a).summary);
    expect(preview.text).not.toContain(leaf(sibling).summary);
    // The node written from is excluded (the prompt has it verbatim), as without vectors.
    expect(preview.text.split(leaf(b).summary).length).toBeLessThanOrEqual(2);
  });

  it('the same preview without an embedding model has no related passages', async () => {
    const loader = new EmbeddingLoader([LAMP, SEA, WOODS]);
    const engine = open(loader);
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    await engine.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call());
    const b = await engine.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call());
    const preview = await engine.stories.preview(opened.story.id, b.currentNodeId, { action: 'I dream of a vessel' }, call());
    expect(preview.sections.find((s) => s.id === 'related')?.tokens ?? 0).toBe(0);
  });

  it('backfills passages written before the model was configured; reindex does the whole tree', async () => {
    const plain = new EmbeddingLoader([LAMP, SEA, WOODS, SAILORS]);
    const first = open(plain);
    const opened = await first.stories.create({ premise: 'A lighthouse.' }, call());
    const id = opened.story.id;
    await first.stories.step(id, undefined, { plan: 'Go on.' }, call());
    const b = await first.stories.step(id, undefined, { plan: 'Go on.' }, call());
    await first.stories.retry(id, b.currentNodeId, call());
    await first.stories.checkout(id, b.currentNodeId);
    await first.dispose();

    const loader = new EmbeddingLoader([]);
    const second = open(loader, '/embed.gguf');
    await second.stories.preview(id, b.currentNodeId, { action: 'I dream of a vessel' }, call());
    await second.dispose();
    const model = loader.embedders[0]!;
    // The path root → a → b got vectors; the sibling branch did not (retrieval never looks there).
    expect(vectorCounts([model])).toEqual([3]);

    const third = open(new EmbeddingLoader([]), '/embed.gguf');
    expect(await third.stories.reindex(id, call())).toEqual({ embedded: 1 });
    expect(await third.stories.reindex(id, call())).toEqual({ embedded: 0 });
    await third.dispose();
    expect(vectorCounts([model])).toEqual([4]);

    // An edit made while no embedding model is configured leaves a stale vector: the next reindex redoes it.
    const fourth = open(new EmbeddingLoader([]), 'off');
    await fourth.stories.editPassage(id, b.currentNodeId, 'The treasure was gold.');
    await fourth.dispose();
    const again = new EmbeddingLoader([]);
    const fifth = open(again, '/embed.gguf');
    expect(await fifth.stories.reindex(id, call())).toEqual({ embedded: 1 });
    expect(again.embedders[0]!.embedded.some((t) => t.includes('The treasure was gold.'))).toBe(true);
  });

  it('keeps the vectors of different embedding models apart, and remembers the model until told "off"', async () => {
    const loader = new EmbeddingLoader([LAMP, SEA]);
    const first = open(loader, '/one.gguf');
    const opened = await first.stories.create({ premise: 'A lighthouse.' }, call());
    await first.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call());
    await first.dispose();

    const other = new EmbeddingLoader([]);
    const second = open(other, '/two.gguf');
    expect(await second.stories.reindex(opened.story.id, call())).toEqual({ embedded: 2 });
    await second.dispose();
    const [one, two] = [loader.embedders[0]!, other.embedders[0]!];
    expect(one.id).not.toBe(two.id);
    expect(vectorTables()).toHaveLength(2);
    expect(vectorCounts([one, two])).toEqual([2, 2]);

    // No flag: the last model used ('/two.gguf') again.
    const remembered = new EmbeddingLoader([]);
    const third = open(remembered);
    expect(third.status().embeddingModel).toBe('/two.gguf');
    await third.stories.reindex(opened.story.id, call());
    expect(remembered.embedders.map((e) => e.id)).toEqual(['/two.gguf']);
    await third.dispose();

    const off = new EmbeddingLoader([]);
    const fourth = open(off, 'off');
    await expect(fourth.stories.reindex(opened.story.id, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await fourth.dispose();
    const fifth = open(off);
    expect(fifth.status().embeddingModel).toBeUndefined();
    await expect(fifth.stories.reindex(opened.story.id, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(off.embedders).toEqual([]);
  });

  it('an embedding model named by catalog id loads from the models folder; until it is there, stories go on by keywords and the status says how to download it', async () => {
    const loader = new EmbeddingLoader([LAMP, SEA, WOODS]);
    const engine = open(loader, 'bge-small-en-v1.5');
    const first = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    expect(leaf(first).passage).toBe(LAMP);
    expect(engine.status().embeddingError).toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringContaining('longtale download bge-small-en-v1.5') });
    await expect(engine.stories.reindex(first.story.id, call())).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(vectorTables()).toEqual([]);

    const models = path.join(dir, 'models');
    fs.mkdirSync(models);
    const expected = path.join(models, catalogFileName(catalog().find((e) => e.id === 'bge-small-en-v1.5')!));
    fs.writeFileSync(expected, 'GGUF');
    await engine.stories.create({ premise: 'A lighthouse.' }, call());
    expect(loader.embedders.map((e) => e.id)).toEqual([expected]);
    expect(engine.status().embeddingError).toBeUndefined();
    // The first story's passage, written without the model, gets its vector now.
    expect((await engine.stories.reindex(first.story.id, call())).embedded).toBe(1);
  });

  it('a step asks the embedder which remembered details the new passage mentions again', async () => {
    const loader = new EmbeddingLoader([SEA, LAMP]);
    const engine = open(loader, '/embed.gguf');
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    const id = opened.story.id;
    const added = await engine.stories.memory.add(id, opened.currentNodeId, { text: 'Beacons guard the coast.', kind: 'plot' });
    const entry = leaf(added).keyMemory.find((e) => e.text === 'Beacons guard the coast.')!;
    const stepped = await engine.stories.step(id, undefined, { plan: 'Go on.' }, call());
    const embedded = loader.embedders[0]!.embedded;
    // The entry and each sentence of the turn were embedded; "beacons" shares no word with the passage (LAMP), but
    // the scripted embedder puts both on the topic of light.
    expect(embedded).toContain('Beacons guard the coast.');
    expect(embedded).toContain(LAMP);
    const after = leaf(stepped).keyMemory.find((e) => e.id === entry.id)!;
    expect(after.lastSeen).toBe(1);
    expect(after.score).toBe(entry.base);
  });

  it('a passage whose vector cannot be stored is not committed either', async () => {
    class PoisonEmbedder extends ScriptedEmbedder {
      override async embed(texts: readonly string[]): Promise<Float32Array[]> {
        const vectors = await super.embed(texts);
        return vectors.map((v, i) => (texts[i]!.includes('poison') ? new Float32Array(v.length).fill(Number.NaN) : v));
      }
    }
    const loader = new EmbeddingLoader([LAMP, 'The poison cup.'], (file) => new PoisonEmbedder(file));
    const engine = open(loader, '/embed.gguf');
    const opened = await engine.stories.create({ premise: 'A lighthouse.' }, call());
    await expect(engine.stories.step(opened.story.id, undefined, { plan: 'Go on.' }, call())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(engine.stories.open(opened.story.id).path).toHaveLength(1);
    expect(engine.stories.tree(opened.story.id)).toHaveLength(1);
  });
});
