import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadProgress, downloadModel } from '../../../native/llama/downloadModel.js';
import { NativeError } from '../../../native/NativeError.js';
import { writeTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';
import { type RangeServer, startRangeServer } from '../../fixtures/http/rangeServer.js';

// node-llama-cpp's downloader (ipull) fetches in chunks of 5 MiB and resumes per completed chunk, so the model must
// span several chunks: nEmbd 256, 4 layers and a wider feed-forward make a valid GGUF of about 11 MB.
const CHUNK = 5 * 1024 * 1024;

let dir: string;
let body: Buffer;
let server: RangeServer;
let slowServer: RangeServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-download-'));
  const source = path.join(dir, 'source.gguf');
  writeTinyGguf(source, { nEmbd: 256, nLayer: 4, nFf: 576 });
  body = fs.readFileSync(source);
  server = await startRangeServer();
  slowServer = await startRangeServer({ throttle: { bytes: 32 * 1024, everyMs: 10 } });
});

afterAll(async () => {
  await server.close();
  await slowServer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  server.reset();
  slowServer.reset();
});

let counter = 0;
/** A fresh, empty download folder per test. */
function folder(): string {
  const target = path.join(dir, `out-${++counter}`);
  fs.mkdirSync(target);
  return target;
}

async function failure(work: Promise<unknown>): Promise<NativeError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error('the download did not fail');
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('downloadModel', () => {
  it('the test model spans several download chunks', () => {
    expect(body.length).toBeGreaterThan(2 * CHUNK);
    expect(body.length).toBeLessThan(12 * 1024 * 1024);
  });

  it('downloads a whole file over http://127.0.0.1 with progress, verifies it, and skips it the second time', async () => {
    server.set('model.gguf', body);
    const out = folder();
    const progress: DownloadProgress[] = [];
    const result = await downloadModel({ uri: server.url('model.gguf'), directory: out, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });

    expect(result.path).toBe(path.join(out, 'model.gguf'));
    expect(fs.readFileSync(result.path).equals(body)).toBe(true);
    expect(result).toMatchObject({ sizeBytes: body.length, resumedBytes: 0, alreadyPresent: false });
    expect(result.model).toMatchObject({ architecture: 'llama', version: 3, name: 'longtale-tiny' });
    expect(fs.readdirSync(out)).toEqual(['model.gguf']);

    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1);
    expect(last).toMatchObject({ downloadedBytes: body.length, totalBytes: body.length });
    const sizes = progress.map((p) => p.downloadedBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));

    server.reset();
    const again = await downloadModel({ uri: server.url('model.gguf'), directory: out });
    expect(again).toMatchObject({ path: result.path, alreadyPresent: true, sizeBytes: body.length });
    expect(server.rangeBytesServed).toBe(0);
  });

  it('replaces a complete-looking file that is not a valid model (an earlier bad download)', async () => {
    server.set('replace.gguf', body);
    const out = folder();
    fs.writeFileSync(path.join(out, 'replace.gguf'), Buffer.alloc(body.length, 7)); // right size, wrong bytes
    const result = await downloadModel({ uri: server.url('replace.gguf'), directory: out });
    expect(result.alreadyPresent).toBe(false);
    expect(fs.readFileSync(result.path).equals(body)).toBe(true);
  });

  it('keeps a model whose last resume record landed after the final truncate (a race seen under CPU load)', async () => {
    // ipull writes its resume record after the file's end without awaiting it, then truncates the finished file to
    // the model's size. A thread-pool write delayed past that truncate (a busy machine) used to leave the JSON
    // appended, so the size check removed a good download. Hold the record's write until the truncate is done.
    server.set('late-record.gguf', body);
    const out = folder();
    const probe = await fs.promises.open(path.join(out, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as fs.promises.FileHandle;
    await probe.close();
    fs.rmSync(path.join(out, 'probe'));
    const { write, truncate } = proto;
    let truncated!: () => void;
    const truncateDone = new Promise<void>((resolve) => (truncated = resolve));
    let heldRecords = 0;
    proto.truncate = async function (this: fs.promises.FileHandle, ...args: Parameters<typeof truncate>) {
      await truncate.apply(this, args);
      if (args[0] === body.length) truncated();
    };
    proto.write = async function (this: fs.promises.FileHandle, ...args: unknown[]) {
      if (args[3] === body.length) {
        heldRecords++;
        await truncateDone;
      }
      return (write as (...a: unknown[]) => ReturnType<typeof write>).apply(this, args);
    } as typeof write;
    try {
      const result = await downloadModel({ uri: server.url('late-record.gguf'), directory: out });
      expect(heldRecords).toBeGreaterThan(0);
      expect(result.sizeBytes).toBe(body.length);
      expect(fs.readFileSync(result.path).equals(body)).toBe(true);
    } finally {
      proto.write = write;
      proto.truncate = truncate;
    }

    // A record that lands even after the download returned is removed by the next call, which fetches nothing.
    fs.appendFileSync(path.join(out, 'late-record.gguf'), JSON.stringify({ part: 0, chunks: [2, 2, 2], chunkSize: CHUNK, parallelStreams: 1 }));
    server.reset();
    const again = await downloadModel({ uri: server.url('late-record.gguf'), directory: out });
    expect(again).toMatchObject({ alreadyPresent: true, sizeBytes: body.length });
    expect(fs.statSync(again.path).size).toBe(body.length);
    expect(server.rangeBytesServed).toBe(0);
  });

  it('resumes an interrupted download from the chunks already saved, fetching less than the file', async () => {
    const out = folder();
    // The network stalls at 7 MB: the first 5 MiB chunk completes, the second does not.
    server.set('resume.gguf', { body, stallAt: 7_000_000 });
    const controller = new AbortController();
    const first = downloadModel({ uri: server.url('resume.gguf'), directory: out, signal: controller.signal });
    await until(() => server.rangeBytesServed >= 7_000_000 && fs.existsSync(path.join(out, 'resume.gguf.ipull')));
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the chunk's progress record reach the disk too
    controller.abort();
    const stopped = await failure(first);
    expect(stopped.code).toBe('CANCELLED');
    // The gotcha: the library reports the final path even after an abort; only the partial file is there.
    expect(fs.existsSync(path.join(out, 'resume.gguf'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'resume.gguf.ipull'))).toBe(true);

    server.set('resume.gguf', body);
    server.reset();
    const result = await downloadModel({ uri: server.url('resume.gguf'), directory: out });
    expect(fs.readFileSync(result.path).equals(body)).toBe(true);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(CHUNK);
    expect(server.rangeBytesServed).toBeGreaterThan(0);
    expect(server.rangeBytesServed).toBeLessThanOrEqual(body.length - CHUNK);
    expect(fs.readdirSync(out)).toEqual(['resume.gguf']);
  });

  it('cancels mid-way: rejects with CANCELLED promptly, leaves no final file and keeps the partial one', async () => {
    slowServer.set('slow.gguf', body);
    const out = folder();
    const controller = new AbortController();
    const progress: DownloadProgress[] = [];
    const work = downloadModel({
      uri: slowServer.url('slow.gguf'),
      directory: out,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        progress.push(p);
        // The partial file appears once a first chunk is complete (the small last one, downloaded in parallel).
        if (fs.existsSync(path.join(out, 'slow.gguf.ipull'))) controller.abort();
      },
    });
    const started = Date.now();
    const error = await failure(work);
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(progress.at(-1)?.downloadedBytes).toBeLessThan(body.length);
    expect(fs.existsSync(path.join(out, 'slow.gguf'))).toBe(false);
    expect(fs.readdirSync(out)).toEqual(['slow.gguf.ipull']);
  });

  it('gives up on a stalled connection with DOWNLOAD_FAILED instead of waiting forever', async () => {
    server.set('stall.gguf', { body, stallAt: 3_000_000 });
    const error = await failure(downloadModel({ uri: server.url('stall.gguf'), directory: folder(), stallTimeoutMs: 1500 }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/no data for 1\.5 s.*resume/);
  });

  it('refuses to start when the disk is too small, before fetching any data', async () => {
    server.set('big.gguf', body);
    const out = folder();
    const error = await failure(downloadModel({ uri: server.url('big.gguf'), directory: out, freeBytes: async () => 1_000_000 }));
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toContain(out);
    expect(error.message).toMatch(/needs 0\.08 GB free .* only 0\.00 GB/);
    expect(server.rangeBytesServed).toBe(0);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('counts what an interrupted download already holds against the disk check', async () => {
    // The 64 MiB safety margin plus the whole file must fit; a free space just below that is refused.
    server.set('exact.gguf', body);
    const needed = body.length + 64 * 1024 * 1024;
    const error = await failure(downloadModel({ uri: server.url('exact.gguf'), directory: folder(), freeBytes: async () => needed - 1 }));
    expect(error.code).toBe('DISK_FULL');
    const result = await downloadModel({ uri: server.url('exact.gguf'), directory: folder(), freeBytes: async () => needed });
    expect(result.sizeBytes).toBe(body.length);
  });

  it('catches a server that announces fewer bytes than the model has: the truncated file fails the GGUF check and is removed', async () => {
    server.set('short.gguf', { body, claimedSize: 6_000_000 });
    const out = folder();
    const error = await failure(downloadModel({ uri: server.url('short.gguf'), directory: out }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/truncated.*downloaded from http:\/\/127\.0\.0\.1:\d+\/short\.gguf; the file was removed/);
    expect(fs.existsSync(path.join(out, 'short.gguf'))).toBe(false);
  });

  it('catches a server that announces more bytes than it sends', async () => {
    server.set('long.gguf', { body, claimedSize: body.length + 1_000_000 });
    const out = folder();
    const error = await failure(downloadModel({ uri: server.url('long.gguf'), directory: out, stallTimeoutMs: 2000 }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(fs.existsSync(path.join(out, 'long.gguf'))).toBe(false);
  });

  it('removes a file that is not a GGUF model (a login page served as the model)', async () => {
    server.set('page.gguf', Buffer.from('<!DOCTYPE html><html><body>Please sign in</body></html>\n'.repeat(50)));
    const out = folder();
    const error = await failure(downloadModel({ uri: server.url('page.gguf'), directory: out }));
    expect(error.code).toBe('MODEL_NOT_GGUF');
    expect(error.message).toMatch(/GGUF signature.*the file was removed/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails at once on a missing file (404)', async () => {
    const started = Date.now();
    const error = await failure(downloadModel({ uri: server.url('absent.gguf'), directory: folder() }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/404/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('resolves hf: URIs (file form and :QUANT form) against a configurable Hugging Face endpoint', async () => {
    server.set('test-user/Tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf', body);
    server.json('v2/test-user/Tiny-GGUF/manifests/Q4_K_M', { ggufFile: { rfilename: 'tiny-Q4_K_M.gguf' } });

    const byFile = await downloadModel({ uri: 'hf:test-user/Tiny-GGUF/tiny-Q4_K_M.gguf', directory: folder(), huggingFaceEndpoint: server.origin });
    expect(fs.readFileSync(byFile.path).equals(body)).toBe(true);
    expect(path.basename(byFile.path)).toMatch(/tiny-Q4_K_M\.gguf$/);

    const byQuant = await downloadModel({ uri: 'hf:test-user/Tiny-GGUF:Q4_K_M', directory: folder(), huggingFaceEndpoint: server.origin });
    expect(fs.readFileSync(byQuant.path).equals(body)).toBe(true);
    expect(server.requests.some((r) => r.path === '/v2/test-user/Tiny-GGUF/manifests/Q4_K_M')).toBe(true);
  });

  it.each([
    ['a local path', '/tmp/model.gguf'],
    ['an ftp URL', 'ftp://127.0.0.1/model.gguf'],
    ['an empty string', ''],
  ])('refuses %s as a model URI', async (_name, uri) => {
    const error = await failure(downloadModel({ uri, directory: folder() }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/not a model URI/);
  });

  it('https:// to a plain-http server fails within the connect timeout', async () => {
    server.set('tls.gguf', body);
    const uri = server.url('tls.gguf').replace('http://', 'https://');
    const error = await failure(downloadModel({ uri, directory: folder(), stallTimeoutMs: 1500 }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
  });

  it('does nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    server.set('never.gguf', body);
    const error = await failure(downloadModel({ uri: server.url('never.gguf'), directory: folder(), signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(server.requests).toEqual([]);
  });
});
