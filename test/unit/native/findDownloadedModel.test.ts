import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel } from '../../../native/llama/downloadModel.js';
import { findDownloadedModel } from '../../../native/llama/findDownloadedModel.js';
import { writeTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';
import { type RangeServer, startRangeServer } from '../../fixtures/http/rangeServer.js';

let dir: string;
let server: RangeServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-find-'));
  const source = path.join(dir, 'source.gguf');
  writeTinyGguf(source);
  server = await startRangeServer();
  const body = fs.readFileSync(source);
  server.set('test-user/Tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf', body);
  server.set('test-user/Other/resolve/main/other-Q8_0.gguf', body);
  server.set('plain-model.gguf', body);
  server.json('v2/test-user/Tiny-GGUF/manifests/Q4_K_M', { ggufFile: { rfilename: 'tiny-Q4_K_M.gguf' } });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('findDownloadedModel', () => {
  it('finds a hf: file URI where downloadModel saved it, without asking the network', async () => {
    const models = path.join(dir, 'models');
    for (const uri of ['hf:test-user/Tiny-GGUF/tiny-Q4_K_M.gguf', 'hf:test-user/Other/other-Q8_0.gguf']) {
      expect(await findDownloadedModel(uri, models)).toBeUndefined();
      const saved = await downloadModel({ uri, directory: models, huggingFaceEndpoint: server.origin });
      const before = server.requests.length;
      expect(await findDownloadedModel(uri, models)).toBe(saved.path);
      expect(server.requests.length).toBe(before);
    }
  });

  it('finds a hf:user/repo:QUANT download too', async () => {
    const models = path.join(dir, 'quant');
    const saved = await downloadModel({ uri: 'hf:test-user/Tiny-GGUF:Q4_K_M', directory: models, huggingFaceEndpoint: server.origin });
    expect(await findDownloadedModel('hf:test-user/Tiny-GGUF:Q4_K_M', models)).toBe(saved.path);
  });

  it('finds a plain http URL download under its file name', async () => {
    const models = path.join(dir, 'url');
    const uri = server.url('plain-model.gguf');
    expect(await findDownloadedModel(uri, models)).toBeUndefined();
    const saved = await downloadModel({ uri, directory: models });
    expect(await findDownloadedModel(uri, models)).toBe(saved.path);
  });

  it('finds nothing for a model not downloaded, or in a folder that does not exist', async () => {
    expect(await findDownloadedModel('hf:test-user/Tiny-GGUF/absent-Q4_K_M.gguf', path.join(dir, 'models'))).toBeUndefined();
    expect(await findDownloadedModel('hf:test-user/Tiny-GGUF:Q4_K_M', path.join(dir, 'nowhere'))).toBeUndefined();
  });
});
