import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GgmlType, getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggmlTensorBytes, knownGgmlTypes } from '../../../native/llama/ggmlTensorBytes.js';
import { LlamaRuntime } from '../../../native/llama/LlamaRuntime.js';
import { validateGgufFile } from '../../../native/llama/validateGgufFile.js';
import { NativeError } from '../../../native/NativeError.js';
import { type BadFile, writeBadGgufs } from '../../fixtures/bad/writeBadGgufs.js';
import { ensureTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedModels = ['stories260K.gguf', 'llama-2-tiny-random.gguf'].map((name) => path.resolve(repoRoot, '../shared/models', name));
const presentShared = sharedModels.filter((file) => fs.existsSync(file));
if (presentShared.length < sharedModels.length) console.log('some shared models are absent; their validation tests are skipped');

let dir: string;
let llama: Llama;
let corpus: BadFile[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bad-'));
  corpus = writeBadGgufs(path.join(dir, 'bad'));
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});

afterAll(async () => {
  await llama.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function failure(work: Promise<unknown>): Promise<NativeError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error('validation passed');
}

describe('validateGgufFile on the bad-file corpus', () => {
  it('the corpus covers every kind of damage', () => {
    expect(corpus.map((file) => file.name)).toEqual([
      'zero-bytes.gguf',
      'short-header.gguf',
      'text.gguf',
      'ggml-v1.gguf',
      'metadata-cut.gguf',
      'bad-value-type.gguf',
      'huge-string.gguf',
      'no-architecture.gguf',
      'no-tensors.gguf',
      'tensor-data-cut.gguf',
      'unknown-architecture.gguf',
    ]);
  });

  it.each([
    'zero-bytes.gguf',
    'short-header.gguf',
    'text.gguf',
    'ggml-v1.gguf',
    'metadata-cut.gguf',
    'bad-value-type.gguf',
    'huge-string.gguf',
    'no-architecture.gguf',
    'no-tensors.gguf',
    'tensor-data-cut.gguf',
    'unknown-architecture.gguf',
  ])('%s gets its code and a message naming the file and the problem', async (name) => {
    const file = corpus.find((f) => f.name === name);
    if (!file) throw new Error(`no ${name} in the corpus`);
    const error = await failure(validateGgufFile(file.path, { llama }));
    expect(error.code).toBe(file.code);
    expect(error.message).toContain(file.path);
    expect(error.message).toMatch(file.message);
  });

  it('without a llama instance, only the architecture check is skipped', async () => {
    for (const file of corpus) {
      if (file.needsLlama) await expect(validateGgufFile(file.path)).resolves.toMatchObject({ architecture: 'zzzzz' });
      else expect((await failure(validateGgufFile(file.path))).code).toBe(file.code);
    }
  });

  it('LlamaRuntime.loadModel refuses each bad file with the same coded error, before llama.cpp sees it', async () => {
    const runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
    try {
      for (const file of corpus) {
        const error = await failure(runtime.loadModel(file.path));
        expect(error.code, file.name).toBe(file.code);
      }
    } finally {
      await runtime.dispose();
    }
  });
});

describe('validateGgufFile on good files', () => {
  it('accepts the generated tiny model and summarises it', async () => {
    const file = ensureTinyGguf();
    const summary = await validateGgufFile(file, { llama });
    expect(summary).toMatchObject({ version: 3, architecture: 'llama', name: 'longtale-tiny', trainContextSize: 512, hasChatTemplate: false });
    expect(summary.sizeBytes).toBe(fs.statSync(file).size);
    expect(summary.tensorCount).toBeGreaterThan(0);
  });

  it.skipIf(presentShared.length === 0)('accepts the real shared models (no false alarm on trained files)', async () => {
    for (const file of presentShared) {
      const summary = await validateGgufFile(file, { llama });
      expect(summary.architecture).toBe('llama');
    }
  });

  it('accepts a file with bytes after the last tensor', async () => {
    const file = path.join(dir, 'padded.gguf');
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(ensureTinyGguf()), Buffer.alloc(4096)]));
    await expect(validateGgufFile(file, { llama })).resolves.toMatchObject({ architecture: 'llama' });
  });
});

describe('ggmlTensorBytes', () => {
  it('agrees with the native library on every tensor type it lists', () => {
    const bindings = (llama as unknown as { _bindings: { getTypeSizeForGgmlType(t: number): number; getBlockSizeForGgmlType(t: number): number } })._bindings;
    for (const type of knownGgmlTypes()) {
      const typeSize = bindings.getTypeSizeForGgmlType(type);
      const blockSize = bindings.getBlockSizeForGgmlType(type);
      expect(ggmlTensorBytes(type, [blockSize * 4, 3]), GgmlType[type]).toBe(typeSize * 4 * 3);
    }
  });

  it('lists every type the library can size, and nothing it cannot', () => {
    const bindings = (llama as unknown as { _bindings: { getTypeSizeForGgmlType(t: number): number } })._bindings;
    const sized = Object.values(GgmlType).filter((v): v is number => typeof v === 'number' && bindings.getTypeSizeForGgmlType(v) > 0);
    expect(knownGgmlTypes().sort((a, b) => a - b)).toEqual(sized.sort((a, b) => a - b));
  });

  it('returns undefined for an unknown type', () => {
    expect(ggmlTensorBytes(4, [32])).toBeUndefined();
    expect(ggmlTensorBytes(999, [32])).toBeUndefined();
  });
});
