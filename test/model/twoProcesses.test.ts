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
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-two-'));
const db = path.join(dir, 'stories.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const common = ['--db', db, '--model', testModel.path, '--threads', '1', '--context-size', '512', '--passage-tokens', '40'];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/cli/run.ts'), ...common, ...args], {
    cwd: root,
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('R6: a second app instance on the same database', () => {
  it('two processes writing the same story at once both land, queued by SQLite; the tree stays whole', async () => {
    expect((await run(['--json', 'new', '--premise', 'A shared diary.'])).code).toBe(0);
    const results = await Promise.all([run(['--json', 'auto', '1', '--passages', '4']), run(['--json', 'auto', '1', '--passages', '4'])]);
    for (const result of results) expect(result.stderr, result.stderr).not.toMatch(/longtale:/u);
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const conn = new Database(db, { readonly: true });
    try {
      expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
      const nodes = conn.prepare('SELECT id, parent_id FROM nodes').all() as { id: number; parent_id: number | null }[];
      expect(nodes).toHaveLength(9);
      const ids = new Set(nodes.map((n) => n.id));
      expect(nodes.filter((n) => n.parent_id === null)).toHaveLength(1);
      expect(nodes.every((n) => n.parent_id === null || ids.has(n.parent_id))).toBe(true);
    } finally {
      conn.close();
    }
  }, 120_000);
});
