import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTrained, resolveTestModel, UNTRAINED_REASON } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const testModel = resolveTestModel();
const trained = isTrained(testModel);
if (!trained) console.info(`some tests skip: ${UNTRAINED_REASON}`);
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-cli-surprisal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'stories.db');

function longtale(args: string[]) {
  const result = spawnSync(tsx, [path.join(root, 'electron/cli/run.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const modelArgs = ['--db', db, '--model', testModel.path, '--threads', '1', '--context-size', '512', '--passage-tokens', '48', '--seed', '3'];

interface Scored {
  tokens: { text: string; surprisal: number }[];
  meanSurprisal: number | null;
}

describe('longtale score', () => {
  it('--json prints the surprisal of each token of TEXT after the BOS and CONTEXT, and their mean', () => {
    const run = longtale([...modelArgs, 'score', '--text', 'She found a dragon 🐉.', '--context', 'Once upon a time, ', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Scored;
    expect(Object.keys(doc)).toEqual(['tokens', 'meanSurprisal']);
    expect(doc.tokens.map((t) => t.text).join('')).toBe('She found a dragon 🐉.');
    for (const t of doc.tokens) expect(t.surprisal).toBeGreaterThanOrEqual(0);
    const mean = doc.tokens.reduce((sum, t) => sum + t.surprisal, 0) / doc.tokens.length;
    expect(doc.meanSurprisal).toBeCloseTo(mean, 2);
  });

  it.skipIf(!trained)('prints a table without --json, and an empty result for empty text', () => {
    const table = longtale([...modelArgs, 'score', '--text', 'The cat sat.']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^\s+\d+\.\d{3}\s+"The"$/m);
    expect(table.stdout).toMatch(/^mean \d+\.\d{3} nats over \d+ tokens$/m);
    const empty = longtale([...modelArgs, 'score', '--text', '', '--json']);
    expect(JSON.parse(empty.stdout)).toEqual({ tokens: [], meanSurprisal: null });
  });
});

describe('longtale show and memory', () => {
  it('show --json gives every passage its heatmap tokens; memory add, edit and forget change what is remembered', () => {
    const created = longtale([...modelArgs, '--json', 'new', '--premise', 'A small cat finds a ball']);
    expect(created.code).toBe(0);
    const { storyId } = JSON.parse(created.stdout) as { storyId: number };
    expect(longtale([...modelArgs, 'step', String(storyId)]).code).toBe(0);

    const shown = JSON.parse(longtale([...modelArgs, '--json', 'show', String(storyId)]).stdout) as {
      nodes: { passage: string; tokens: { text: string; surprisal: number }[]; stats: { scoringMs: number } }[];
    };
    expect(shown.nodes).toHaveLength(2);
    for (const node of shown.nodes) {
      expect(node.tokens.length).toBeGreaterThan(0);
      expect(node.tokens.map((t) => t.text).join('')).toBe(node.passage);
      expect(node.stats.scoringMs).toBeGreaterThan(0);
    }

    const added = longtale([...modelArgs, '--json', 'memory', 'add', String(storyId), '--text', 'The ball is blue.', '--kind', 'canon', '--pin']);
    expect(added.code).toBe(0);
    const entry = (JSON.parse(added.stdout) as { keyMemory: { id: string; text: string; kind: string; pinned: boolean }[] }).keyMemory.find(
      (e) => e.text === 'The ball is blue.',
    );
    expect(entry).toMatchObject({ kind: 'canon', pinned: true });

    const listed = longtale([...modelArgs, 'memory', 'list', String(storyId)]);
    expect(listed.stdout).toContain(`${entry?.id}\tcanon, pinned\t3.00\tThe ball is blue.`);

    const edited = longtale([...modelArgs, '--json', 'memory', 'edit', String(storyId), entry?.id ?? '', '--unpin', '--text', 'The ball is red.']);
    expect(JSON.parse(edited.stdout).keyMemory).toContainEqual(expect.objectContaining({ id: entry?.id, text: 'The ball is red.', pinned: false }));

    const forgotten = longtale([...modelArgs, '--json', 'memory', 'forget', String(storyId), entry?.id ?? '']);
    expect((JSON.parse(forgotten.stdout) as { keyMemory: { id: string }[] }).keyMemory.some((e) => e.id === entry?.id)).toBe(false);

    const missing = longtale([...modelArgs, 'memory', 'forget', String(storyId), 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^longtale: That memory entry does not exist\. There is no memory entry "nope"/);
  });
});

describe('longtale alternatives and rewrite', () => {
  it('lists what else the model might have written at a token, and writes a new version from one of them', () => {
    const created = longtale([...modelArgs, '--json', 'new', '--premise', 'A dog digs in the garden']);
    const { storyId } = JSON.parse(created.stdout) as { storyId: number };
    const stepped = JSON.parse(longtale([...modelArgs, '--json', 'step', String(storyId)]).stdout) as { id: number; passage: string; tokens: { text: string }[] };
    const at = stepped.tokens.slice(0, 2).reduce((sum, t) => sum + t.text.length, 0);

    const listed = longtale([...modelArgs, '--json', 'alternatives', String(storyId), String(stepped.id), '--at', String(at)]);
    expect(listed.stderr).toBe('');
    const { candidates } = JSON.parse(listed.stdout) as { candidates: { text: string; probability: number }[] };
    expect(candidates.length).toBeGreaterThan(0);
    const table = longtale([...modelArgs, 'alternatives', String(storyId), String(stepped.id), '--at', String(at)]);
    expect(table.stdout.split('\n')[0]).toMatch(/^\s*\d+\.\d%\s+".*"$/u);

    const choice = candidates.at(-1)!.text;
    const rewritten = longtale([...modelArgs, '--json', 'rewrite', String(storyId), String(stepped.id), '--at', String(at), '--text', choice]);
    expect(rewritten.code).toBe(0);
    const node = JSON.parse(rewritten.stdout) as { id: number; passage: string };
    expect(node.id).not.toBe(stepped.id);
    expect(node.passage.startsWith(`${stepped.passage.slice(0, at)}${choice}`.trim())).toBe(true);

    const refused = longtale([...modelArgs, 'rewrite', String(storyId), String(stepped.id), '--at', '100000', '--text', 'x']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/characters/u);
  });
});
