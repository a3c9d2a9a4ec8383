import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KvStateFiles, modelKey } from '../../../native/llama/KvStateFiles.js';

let dir: string;
let modelA: string;
let modelB: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-kv-'));
  modelA = path.join(dir, 'a.gguf');
  modelB = path.join(dir, 'b.gguf');
  fs.writeFileSync(modelA, 'model a');
  fs.writeFileSync(modelB, 'model b!');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stands in for the sequence's own saver: writes some bytes. */
const writeBytes = (bytes: number) => async (file: string) => fs.writeFileSync(file, Buffer.alloc(bytes, 1));
const states = (model: string, limits = {}) => new KvStateFiles(path.join(dir, 'kv'), model, limits);

describe('modelKey', () => {
  it('changes with the file: another path, another size, another modification time', () => {
    const key = modelKey(modelA);
    expect(modelKey(modelA)).toBe(key);
    expect(modelKey(modelB)).not.toBe(key);
    fs.utimesSync(modelA, new Date(), new Date(Date.now() + 5000));
    expect(modelKey(modelA)).not.toBe(key);
  });
});

describe('KvStateFiles', () => {
  it('finds a saved state with its tokens, under the story folder and a name with the model key and node', async () => {
    const files = states(modelA);
    const file = await files.save('3', 17, [1, 2, 3], writeBytes(100));
    expect(file).toBe(path.join(dir, 'kv', '3', `${files.modelKey}-17.bin`));
    expect(files.find('3', 17)).toEqual({ kind: 'found', file, tokens: [1, 2, 3], prompt: null });
    expect(files.find('3', 18)).toEqual({ kind: 'none' });
    expect(fs.readdirSync(path.join(dir, 'kv', '3')).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('keeps the prompt a state was read for beside it; a sidecar whose prompt is malformed counts as damaged', async () => {
    const files = states(modelA);
    const prompt = { key: 'k1', conversation: { system: '', turns: [{ user: '## Story\nA lamp.', answer: '## Next passage\n\n' }] } };
    const file = await files.save('3', 17, [1, 2, 3], writeBytes(10), prompt);
    expect(files.find('3', 17)).toEqual({ kind: 'found', file, tokens: [1, 2, 3], prompt });

    const sidecar = file.replace(/\.bin$/, '.json');
    const written = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
    fs.writeFileSync(sidecar, JSON.stringify({ ...written, prompt: { key: 'k1', conversation: { system: '', turns: [{ user: 7 }] } } }));
    expect(files.find('3', 17)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('has no description') });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reads a saved prompt without touching a pair it cannot use, so the refusal is still found and reported', async () => {
    const a = states(modelA);
    const prompt = { key: 'k1', conversation: { system: '', turns: [{ user: 'A lamp.', answer: '' }] } };
    const file = await a.save('3', 17, [1, 2, 3], writeBytes(10), prompt);
    expect(a.promptOf('3', 17)).toEqual(prompt);
    expect(states(modelB).promptOf('3', 17)).toBeNull();

    fs.writeFileSync(file, Buffer.alloc(4)); // the data no longer matches its sidecar
    expect(a.promptOf('3', 17)).toBeNull();
    expect(fs.existsSync(file)).toBe(true);
    expect(a.find('3', 17)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('does not match its data file') });
  });

  it('gives the saved prompt its tokens only when the state holds their start: others are not its own', async () => {
    const a = states(modelA);
    const conversation = { system: '', turns: [{ user: 'A lamp.', answer: '' }] };
    await a.save('3', 17, [1, 2, 3], writeBytes(10), { key: 'k1', conversation, tokens: [1, 2, 3, 4] });
    expect(a.promptOf('3', 17)).toEqual({ key: 'k1', conversation, tokens: [1, 2, 3, 4] });
    await a.save('3', 18, [1, 9], writeBytes(10), { key: 'k1', conversation, tokens: [1, 2, 3, 4] });
    expect(a.promptOf('3', 18)).toEqual({ key: 'k1', conversation });
    // Tokens that are not token ids make the sidecar damaged, like any malformed prompt.
    const file = await a.save('3', 19, [1], writeBytes(10), { key: 'k1', conversation, tokens: [1, -2] });
    expect(a.promptOf('3', 19)).toBeNull();
    expect(a.find('3', 19)).toMatchObject({ kind: 'refused' });
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses another model's state with the reason, and keeps it for that model", async () => {
    await states(modelA).save('3', 17, [1, 2, 3], writeBytes(10));
    const found = states(modelB).find('3', 17);
    expect(found).toEqual({ kind: 'refused', reason: expect.stringContaining('another model (a.gguf)') });
    expect(states(modelA).find('3', 17).kind).toBe('found');
  });

  it("refuses and deletes another model's state renamed to this model's key", async () => {
    const a = states(modelA);
    const b = states(modelB);
    const file = await a.save('3', 17, [1], writeBytes(10));
    const renamed = b.pathFor('3', 17);
    fs.renameSync(file, renamed);
    fs.renameSync(file.replace(/\.bin$/, '.json'), renamed.replace(/\.bin$/, '.json'));
    expect(b.find('3', 17)).toEqual({ kind: 'refused', reason: expect.stringContaining('names another model (a.gguf)') });
    expect(fs.existsSync(renamed)).toBe(false);
  });

  it('deletes a pair whose data file changed size, or whose sidecar is missing or unreadable', async () => {
    const files = states(modelA);
    const file = await files.save('1', 1, [1], writeBytes(10));
    fs.appendFileSync(file, 'x');
    expect(files.find('1', 1)).toEqual({ kind: 'refused', reason: expect.stringContaining('does not match its data file') });
    expect(fs.existsSync(file)).toBe(false);

    const second = await files.save('1', 2, [1], writeBytes(10));
    fs.writeFileSync(second.replace(/\.bin$/, '.json'), '{not json');
    expect(files.find('1', 2)).toEqual({ kind: 'refused', reason: expect.stringContaining('no description') });
    expect(fs.existsSync(second)).toBe(false);
  });

  it('a failed save leaves nothing behind', async () => {
    const files = states(modelA);
    await expect(files.save('1', 1, [1], async (file) => {
      fs.writeFileSync(file, 'half');
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(fs.readdirSync(path.join(dir, 'kv', '1'))).toEqual([]);
  });

  it('keeps only the newest few states per story', async () => {
    const files = states(modelA, { perStory: 2 });
    for (const node of [1, 2, 3, 4]) {
      await files.save('5', node, [node], writeBytes(10));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(files.find('5', 1).kind).toBe('none');
    expect(files.find('5', 2).kind).toBe('none');
    expect(files.find('5', 3).kind).toBe('found');
    expect(files.find('5', 4).kind).toBe('found');
  });

  it('holds the folder under its size bound, dropping the oldest states of any story', async () => {
    const files = states(modelA, { totalBytes: 250 });
    await files.save('1', 1, [1], writeBytes(100));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await files.save('2', 1, [1], writeBytes(100));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await files.save('3', 1, [1], writeBytes(100));
    expect(files.find('1', 1).kind).toBe('none');
    expect(files.find('2', 1).kind).toBe('found');
    expect(files.find('3', 1).kind).toBe('found');
  });

  it('forgets a whole story', async () => {
    const files = states(modelA);
    await files.save('9', 1, [1], writeBytes(10));
    files.removeStory('9');
    expect(fs.existsSync(path.join(dir, 'kv', '9'))).toBe(false);
  });

  it('refuses keys that could escape the folder', () => {
    expect(() => states(modelA).pathFor('../x', 1)).toThrow(/Bad KV state key/);
    expect(() => states(modelA).pathFor('1', -1)).toThrow(/Bad KV state key/);
  });
});

it('limits left undefined fall back to the defaults', async () => {
  const files = new KvStateFiles(path.join(dir, 'kv'), modelA, { perStory: undefined, totalBytes: undefined });
  await files.save('1', 1, [1], writeBytes(10));
  expect(files.find('1', 1).kind).toBe('found');
});

it('a temporary file a crashed save left behind goes at the next prune; a fresh one stays', async () => {
  const files = new KvStateFiles(path.join(dir, 'kv'), modelA);
  fs.mkdirSync(path.join(dir, 'kv', '1'), { recursive: true });
  const old = path.join(dir, 'kv', '1', `${files.modelKey}-1.bin.tmp`);
  const fresh = path.join(dir, 'kv', '1', `${files.modelKey}-2.bin.tmp`);
  fs.writeFileSync(old, 'half');
  fs.writeFileSync(fresh, 'half');
  const hourAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(old, hourAgo, hourAgo);
  await files.save('1', 3, [1], writeBytes(10));
  expect(fs.existsSync(old)).toBe(false);
  expect(fs.existsSync(fresh)).toBe(true);
});
