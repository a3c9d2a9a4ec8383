import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTestModel } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const testModel = resolveTestModel();
console.info(testModel.reason);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `longtale` from source as a user would, with a private home so no real settings are touched. */
function longtale(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [path.join(root, 'electron/cli/run.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_EMBEDDING_MODEL: '', LONGTALE_DB: '', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const modelArgs = ['--model', testModel.path, '--threads', '1', '--context-size', '512', '--passage-tokens', '48', '--seed', '7'];

describe('longtale new and list', () => {
  const db = path.join(dir, 'stories.db');
  /** The model titles the first story (a tiny model's title is whatever it writes); the list must show it. */
  let firstTitle = '';

  it('new --json prints exactly one JSON document with the story and its first passage', () => {
    const run = longtale(['--db', db, '--json', ...modelArgs, 'new', '--premise', 'A small cat finds a ball']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { storyId: number; nodeId: number; title: string; passage: string };
    expect(doc).toMatchObject({ storyId: 1, nodeId: 1 });
    expect(doc.title.trim().length).toBeGreaterThan(0);
    expect(doc.passage.length).toBeGreaterThan(0);
    firstTitle = doc.title;
  });

  it('new without --json streams the passage to stdout and names the story on stderr; --set gives it settings of its own', () => {
    const run = longtale(['--db', db, ...modelArgs, 'new', '--premise', 'A boy and a kite', '--title', 'Wind', '--set', 'passageTokens=40']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/^story 2 "Wind", passage 2\n$/);
    // --set gives the story settings of its own from the start.
    expect(JSON.parse(longtale(['--db', db, '--json', 'settings', '--story', '2']).stdout)).toMatchObject({ own: { passageTokens: 40 } });
  });

  it('list --json shows both stories, newest first; the model is remembered for next time', () => {
    const run = longtale(['--db', db, '--json', 'list']);
    expect(run.code).toBe(0);
    const stories = JSON.parse(run.stdout) as { id: number; title: string; passageCount: number }[];
    expect(stories.map((s) => [s.id, s.title, s.passageCount])).toEqual([
      [2, 'Wind', 1],
      [1, firstTitle, 1],
    ]);
    const again = longtale(['--db', db, '--json', '--threads', '1', '--context-size', '512', '--passage-tokens', '8', 'new', '--premise', 'Rain']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ storyId: 3 });
  });

  it('list prints a table, or a hint when there are no stories', () => {
    expect(longtale(['--db', db, 'list']).stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^1\t${escape(firstTitle)}\t1 passage, \\d+ words$`)));
    expect(longtale(['--db', path.join(dir, 'empty.db'), 'list']).stdout).toContain('No stories yet');
  });
});

describe('longtale errors: one line on stderr, non-zero exit, nothing written', () => {
  const db = path.join(dir, 'errors.db');

  it.each([
    ['no model configured', ['new', '--premise', 'x'], /No model is configured/],
    ['a missing model file', ['--model', path.join(dir, 'absent.gguf'), 'new', '--premise', 'x'], /model file does not exist/],
    ['a non-GGUF model file', ['--model', path.join(root, 'package.json'), 'new', '--premise', 'x'], /not a GGUF model/],
    ['an empty premise', [...modelArgs, 'new', '--premise', '   '], /premise is empty/],
  ])('%s', (_name, args, message) => {
    const run = longtale(['--db', db, ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(longtale(['--db', db, '--json', 'list']).stdout)).toEqual([]);
  });

  it('a database path that cannot be written', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const run = longtale(['--db', path.join(blocker, 'stories.db'), 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^longtale: The story database could not be opened\. .*a-file\/stories\.db/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown command or a missing option is a usage error', () => {
    expect(longtale(['--db', db, 'bogus']).code).toBe(1);
    const run = longtale(['--db', db, 'new']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Give --premise, or --from-text with a file of your own text\./);
  });
});

describe('model references and the embedding model', () => {
  const db = path.join(dir, 'embedding.db');

  it('--model with a catalog id that is not downloaded says which download to run, and writes nothing', () => {
    const run = longtale(['--db', db, '--model', 'llama-3.2-1b-instruct', 'new', '--premise', 'A storm']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^longtale: The model file does not exist\. llama-3\.2-1b-instruct is not downloaded yet .*"longtale download llama-3\.2-1b-instruct"/);
    expect(JSON.parse(longtale(['--db', db, '--json', 'list']).stdout)).toEqual([]);
  });

  it('reindex needs an embedding model; with one it embeds what was written without it, once', () => {
    expect(longtale(['--db', db, ...modelArgs, 'new', '--premise', 'A small cat finds a ball']).code).toBe(0);
    const without = longtale(['--db', db, 'reindex', '1']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/--embedding-model/);

    const embedding = ['--embedding-model', testModel.path];
    const first = longtale(['--db', db, '--json', '--threads', '1', ...embedding, 'reindex', '1']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({ embedded: 1 });
    // Remembered: the next run needs no flag, and a step commits its passage with its vector.
    expect(longtale(['--db', db, ...modelArgs, 'step', '1']).code).toBe(0);
    expect(JSON.parse(longtale(['--db', db, '--json', '--threads', '1', 'reindex', '1']).stdout)).toEqual({ embedded: 0 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
