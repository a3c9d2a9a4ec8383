import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTestModel } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const testModel = resolveTestModel();
console.info(testModel.reason);

const TARGET_STEPS = 100;
const MAX_RUNS = 80;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-crash-'));
const db = path.join(dir, 'stories.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small seeded generator (mulberry32), so a failing run can be replayed with the same kill times. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const common = ['--db', db, '--model', testModel.path, '--threads', '1', '--context-size', '512', '--passage-tokens', '40'];

/** Node itself with tsx as a loader: the tsx launcher would fork a grandchild that SIGKILL never reaches. */
function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/cli/run.ts'), ...args], {
    cwd: root,
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Snapshot {
  passages: Map<number, string>;
  integrity: string;
  currentExists: boolean;
  halfNodes: number[];
}

/** Reads the database as the next start of the app would find it (WAL recovery included). */
function inspect(): Snapshot {
  const conn = new Database(db);
  try {
    const integrity = conn.pragma('integrity_check', { simple: true }) as string;
    const rows = conn.prepare('SELECT id, passage, state FROM nodes').all() as { id: number; passage: string; state: string }[];
    const halfNodes = rows
      .filter((r) => {
        const state = JSON.parse(r.state) as { shortMemory?: string; plans?: unknown[] };
        return r.passage.trim() === '' || !state.shortMemory || state.plans?.length !== 3;
      })
      .map((r) => r.id);
    const current = conn.prepare('SELECT current_node_id AS id FROM stories').get() as { id: number | null };
    const currentExists = rows.some((r) => r.id === current.id);
    return { passages: new Map(rows.map((r) => [r.id, r.passage])), integrity, currentExists, halfNodes };
  } finally {
    conn.close();
  }
}

describe('crash safety: longtale auto killed with SIGKILL at random moments', () => {
  it(`loses no committed passage and leaves no half node across ${TARGET_STEPS}+ steps`, async () => {
    const created = cli([...common, '--seed', '5', '--json', 'new', '--premise', 'A fox and a crow share a secret.']);
    let errors = '';
    created.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => created.once('exit', resolve));
    expect(code, `longtale new failed: ${errors}`).toBe(0);

    const next = random(20261128);
    let previous = inspect();
    let runs = 0;
    while (previous.passages.size - 1 < TARGET_STEPS && runs < MAX_RUNS) {
      runs += 1;
      const child = cli([...common, '--seed', String(runs), 'auto', '1', '--passages', '1000']);
      // Wait for the model to load (the first progress line), then kill at a random moment of the writing: within
      // the next few steps (a step also scores its passage's surprisal, so the window spans about three of them).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        child.stderr.once('data', () => {
          clearTimeout(timer);
          setTimeout(resolve, 30 + next() * 1200);
        });
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

      const now = inspect();
      expect(now.integrity).toBe('ok');
      expect(now.halfNodes).toEqual([]);
      expect(now.currentExists).toBe(true);
      for (const [id, passage] of previous.passages) expect(now.passages.get(id)).toBe(passage);
      previous = now;
    }
    console.info(`crash safety: ${runs} kills, ${previous.passages.size - 1} steps committed`);
    expect(previous.passages.size - 1).toBeGreaterThanOrEqual(TARGET_STEPS);
  }, 600_000);
});
