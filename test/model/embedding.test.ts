import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, MemoryEntry } from '../../electron/contract/index.js';
import { Engine } from '../../electron/engine/Engine.js';
import { llamaModelLoader } from '../../electron/engine/llamaModelLoader.js';
import { cosineSimilarity } from '../../electron/memory/Embedder.js';
import { defaultMemorySettings } from '../../electron/memory/surprisal/MemorySettings.js';
import { vectorMentions } from '../../electron/memory/surprisal/vectorMentions.js';
import { openStore } from '../../electron/store/openStore.js';
import { type LlamaEmbedder, LlamaRuntime } from '../../native/llama/index.js';
import { resolveTestModel } from '../fixtures/testModel.js';

// No embedding GGUF ships with the tests: llama.cpp embeds with any model, so the test model stands in for one.
// Its vectors carry little meaning; these tests check the plumbing with real vectors, not retrieval quality.
const testModel = resolveTestModel();
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-embedding-model-'));
let runtime: LlamaRuntime;
let embedder: LlamaEmbedder;

beforeAll(async () => {
  runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
  embedder = await runtime.loadEmbedder(testModel.path, { contextSize: 256 });
});

afterAll(async () => {
  await embedder?.dispose();
  await runtime?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });

describe('LlamaEmbedder', () => {
  it('gives one finite vector of the model’s size per text, the same each time; a blank text gets zeros', async () => {
    expect(embedder.dimensions).toBeGreaterThan(0);
    expect(embedder.id).toBe(`${path.basename(testModel.path)}:${fs.statSync(testModel.path).size}`);
    const [a, b, again, blank] = await embedder.embed(['The keeper lit the lamp.', 'A ship sank in the bay.', 'The keeper lit the lamp.', '  ']);
    for (const v of [a, b, again]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(embedder.dimensions);
      expect(v!.every(Number.isFinite)).toBe(true);
      expect(v!.some((x) => x !== 0)).toBe(true);
    }
    expect([...again!]).toEqual([...a!]);
    expect([...a!]).not.toEqual([...b!]);
    expect(blank!.every((x) => x === 0)).toBe(true);
  });

  it('cuts a text longer than its context instead of failing', async () => {
    const long = 'The lamp burned all night over the harbour. '.repeat(200);
    const [vector] = await embedder.embed([long]);
    expect(vector!.every(Number.isFinite)).toBe(true);
  });

  it('reinforces a memory entry the turn repeats, through vectorMentions', async () => {
    const entry: MemoryEntry = {
      id: '1.p0', text: 'The keeper lit the lamp.', kind: 'plot', score: 0.5, base: 1.5,
      turnAdded: 1, lastSeen: 1, pinned: false, sourceNode: 1, offsets: null,
    };
    const turn = [{ text: 'Night fell. The keeper lit the lamp. Nobody came.' }];
    const { mentionCosine, maxSpanWords } = defaultMemorySettings;
    expect([...(await vectorMentions(embedder, [entry], turn, mentionCosine, maxSpanWords))]).toEqual([entry.id]);
    expect([...(await vectorMentions(embedder, [entry], turn, 1.01, maxSpanWords))]).toEqual([]);
    const [x, y] = await embedder.embed(['The keeper lit the lamp.', 'Nobody came.']);
    console.info(`cosine of two different sentences under the test model: ${cosineSimilarity(x!, y!).toFixed(3)} (threshold ${mentionCosine})`);
  });
});

describe('the engine with an embedding model', () => {
  it('stores a vector per passage and retrieves ancestors by vector when BM25 finds nothing', { timeout: 600_000 }, async () => {
    const dbPath = path.join(dir, 'stories.db');
    const engine = Engine.open({
      dbPath,
      modelPath: testModel.path,
      embeddingModelPath: testModel.path,
      loader: llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 512 }),
      version: 'test',
      generation: { seed: 5, passageTokens: 40 },
    });
    let storyId: number;
    let path3: number[];
    let sibling: number;
    try {
      const opened = await engine.stories.create({ premise: 'A lighthouse keeper finds a map.' }, call());
      storyId = opened.story.id;
      await engine.stories.step(storyId, undefined, { plan: 'She follows the map.' }, call());
      const third = await engine.stories.step(storyId, undefined, { plan: 'She reaches the cave.' }, call());
      path3 = third.path.map((n) => n.id);
      const retried = await engine.stories.retry(storyId, third.currentNodeId, call());
      sibling = retried.currentNodeId;
      await engine.stories.checkout(storyId, third.currentNodeId);
      const preview = await engine.stories.preview(storyId, third.currentNodeId, { action: 'zqxv wjkp' }, call());
      // Retrieved by vector alone (no word of the query is in the story); the toy model's 512-token context often
      // has no room left for them, so they may be retrieved and then dropped from the prompt.
      const related = preview.sections.find((s) => s.id === 'related');
      expect((related?.tokens ?? 0) > 0 || (related?.droppedItems ?? 0) > 0).toBe(true);
    } finally {
      await engine.dispose();
    }

    const store = openStore(dbPath);
    try {
      store.passages.enableVectors(embedder.dimensions, embedder.id);
      const stored = store.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${store.passages.vectorTable}`)?.n;
      expect(stored).toBe(4); // root, two steps, the retried sibling
      const from = path3.at(-1)!;
      expect(store.passages.search(storyId, from, 'zqxv wjkp', { limit: 10 })).toEqual([]);
      const [query] = await embedder.embed(['zqxv wjkp']);
      const hits = store.passages.search(storyId, from, 'zqxv wjkp', { limit: 10, queryVector: query });
      // Every ancestor but the node written from (the prompt has it verbatim); never the sibling branch.
      expect(hits.map((h) => h.nodeId).sort((a, b) => a - b)).toEqual(path3.slice(0, -1));
      expect(hits.map((h) => h.nodeId)).not.toContain(sibling);
    } finally {
      store.dispose();
    }
  });
});
