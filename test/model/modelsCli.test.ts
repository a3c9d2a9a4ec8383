import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadedModel, ModelListing } from '../../electron/contract/index.js';
import { catalog } from '../../electron/engine/models/catalog.js';
import { ensureTinyGguf } from '../fixtures/gguf/writeTinyGguf.js';
import { type RangeServer, startRangeServer } from '../fixtures/http/rangeServer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

let dir: string;
let home: string;
let server: RangeServer;
/** Plain URLs. Both servers are 127.0.0.1, the HF_ENDPOINT host, where the library reads a two-segment path (/user/repo) as a Hugging Face repo: plain URLs here have three. */
let files: RangeServer;
const tiny = () => fs.readFileSync(ensureTinyGguf());

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-models-cli-'));
  home = path.join(dir, 'home');
  server = await startRangeServer();
  files = await startRangeServer();
});

afterAll(async () => {
  await server.close();
  await files.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `longtale` from source with a private home; asynchronous, so the local server here keeps answering. */
function longtale(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join(root, 'electron/cli/run.ts'), ...args], {
      cwd: root,
      env: { ...process.env, LONGTALE_HOME: home, LONGTALE_MODEL: '', LONGTALE_DB: '', HF_ENDPOINT: server.origin, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('longtale doctor', () => {
  it('--json prints the hardware report', async () => {
    const run = await longtale(['--json', '--threads', '1', 'doctor']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { requested: string; backend: string; threads: { used: number }; ram: { totalBytes: number } };
    expect(report).toMatchObject({ requested: 'auto', threads: { used: 1 } });
    expect(report.ram.totalBytes).toBeGreaterThan(0);
  });

  it('a GPU backend that cannot be used falls back to the CPU and says why, with nothing stray on stderr', async () => {
    const run = await longtale(['--gpu', 'vulkan', 'doctor']);
    expect(run.code).toBe(0);
    if (run.stdout.includes('Backend:   Vulkan')) return; // a machine with Vulkan
    expect(run.stdout).toMatch(/^Backend: {3}CPU \(asked for: vulkan\)$/m);
    expect(run.stdout).toMatch(/^Fallback: {2}Vulkan was requested but cannot be used here \(.+\); running on the CPU instead\.$/m);
    expect(run.stderr).toBe('');
  });
});

describe('longtale download and models', () => {
  it('downloads a catalog model by id (hf: resolved against HF_ENDPOINT), with progress lines on stderr', async () => {
    const entry = catalog()[0];
    if (!entry) throw new Error('empty catalog');
    const [user, repo, ...file] = entry.uri.slice('hf:'.length).split('/');
    server.set(`${user}/${repo}/resolve/main/${file.join('/')}`, tiny());
    const run = await longtale(['download', entry.id]);
    expect(run.code).toBe(0);
    const saved = path.join(home, 'models', file.at(-1) ?? '');
    expect(run.stdout).toContain(`Saved: ${saved}`);
    expect(run.stdout).toContain(`longtale --model "${saved}"`);
    expect(run.stderr).toMatch(/^\[#{20}\] .* of .* \(100%\)/m);
    expect(fs.readFileSync(saved).equals(tiny())).toBe(true);

    const again = await longtale(['--json', 'download', entry.id]);
    expect(again.code).toBe(0);
    expect(DownloadedModel.parse(JSON.parse(again.stdout))).toMatchObject({ path: saved, alreadyPresent: true, catalogId: entry.id });
  });

  it('downloads any http URL; --json prints exactly one document', async () => {
    files.set('any/where/model.gguf', tiny());
    const run = await longtale(['--json', 'download', files.url('any/where/model.gguf')]);
    expect(run.code).toBe(0);
    const result = DownloadedModel.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({ path: path.join(home, 'models', 'model.gguf'), catalogId: null, uri: files.url('any/where/model.gguf') });
  });

  it('models --json lists the catalog (downloaded marked), local files and the configured model', async () => {
    const configured = path.join(dir, 'elsewhere.gguf');
    fs.copyFileSync(ensureTinyGguf(), configured);
    const run = await longtale(['--json', '--model', configured, 'models']);
    expect(run.code).toBe(0);
    const listing = ModelListing.parse(JSON.parse(run.stdout));
    expect(listing.dir).toBe(path.join(home, 'models'));
    const first = listing.catalog[0];
    expect(first?.path).toBe(path.join(home, 'models', path.basename(first?.uri ?? '')));
    expect(listing.catalog.slice(1).every((m) => m.path === null)).toBe(true);
    expect(listing.local.map((m) => [m.fileName, m.state, m.configured, m.catalogId])).toEqual([
      [path.basename(first?.uri ?? ''), 'ready', false, first?.id],
      ['model.gguf', 'ready', false, null],
      ['elsewhere.gguf', 'ready', true, null],
    ]);
  });

  it('models prints a readable table', async () => {
    const run = await longtale(['models']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^This machine: /);
    expect(run.stdout).toContain('Recommended models (download with: longtale download ID)');
    expect(run.stdout).toMatch(/\[downloaded\]/);
    expect(run.stdout).toContain(`Local models in ${path.join(home, 'models')}`);
  });

  it.each([
    ['an unknown id', ['download', 'no-such-model'], /^longtale: Some input is not valid\. No model "no-such-model" in the catalog/],
    ['a page that is not a model', ['download', 'PAGE'], /^longtale: The file is not a GGUF model\. .*the file was removed\)$/],
    ['a missing file', ['download', 'MISSING'], /^longtale: The model could not be downloaded\. .*404/],
  ])('%s: exit 1 and one error line on stderr (after any progress lines)', async (_name, args, message) => {
    files.set('page.gguf', Buffer.from('<html>sign in</html>\n'.repeat(20)));
    const resolved = args.map((a) => (a === 'PAGE' ? files.url('page.gguf') : a === 'MISSING' ? files.url('missing.gguf') : a));
    const run = await longtale(resolved);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((line) => !line.startsWith('['))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(message);
  });
});
