import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from '../../../native/llama/readGgufHeader.js';
import { NativeError } from '../../../native/NativeError.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedModel = path.resolve(repoRoot, '../shared/models/stories260K.gguf');
const haveSharedModel = fs.existsSync(sharedModel);
if (!haveSharedModel) console.log(`skipping the stories260K.gguf test: ${sharedModel} does not exist`);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A GGUF header: magic, u32 version, u64 tensor count, u64 metadata count, then `tail` bytes of padding. */
function ggufHeader(version: number, tensorCount: bigint, metadataCount: bigint, tail = 0): Buffer {
  const bytes = Buffer.alloc(24 + tail);
  bytes.write('GGUF', 0, 'latin1');
  bytes.writeUInt32LE(version, 4);
  bytes.writeBigUInt64LE(tensorCount, 8);
  bytes.writeBigUInt64LE(metadataCount, 16);
  return bytes;
}

describe('readGgufHeader', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-gguf-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, bytes: Buffer | string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  function failure(file: string): NativeError {
    try {
      readGgufHeader(file);
    } catch (error) {
      expect(error).toBeInstanceOf(NativeError);
      return error as NativeError;
    }
    throw new Error(`readGgufHeader(${file}) did not fail`);
  }

  it('gives MODEL_NOT_FOUND for a missing path, naming it', () => {
    const file = path.join(dir, 'missing.gguf');
    const error = failure(file);
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(file);
  });

  it('gives MODEL_NOT_FOUND when a parent of the path is missing', () => {
    expect(failure(path.join(dir, 'nope', 'deeper', 'm.gguf')).code).toBe('MODEL_NOT_FOUND');
  });

  it('gives MODEL_NOT_GGUF for a directory', () => {
    const sub = path.join(dir, 'a-folder.gguf');
    fs.mkdirSync(sub);
    const error = failure(sub);
    expect(error.code).toBe('MODEL_NOT_GGUF');
    expect(error.message).toContain(sub);
  });

  it('gives MODEL_NOT_GGUF for a zero-byte file', () => {
    const error = failure(write('empty.gguf', Buffer.alloc(0)));
    expect(error.code).toBe('MODEL_NOT_GGUF');
    expect(error.message).toMatch(/0 bytes/);
  });

  it('gives MODEL_NOT_GGUF for a file shorter than the header, even with the magic', () => {
    expect(failure(write('short.gguf', ggufHeader(3, 1n, 1n).subarray(0, 23))).code).toBe('MODEL_NOT_GGUF');
  });

  it('gives MODEL_NOT_GGUF for a PNG renamed .gguf', () => {
    const png = Buffer.concat([PNG_SIGNATURE, Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]);
    expect(png.length).toBeGreaterThanOrEqual(24);
    const error = failure(write('picture.gguf', png));
    expect(error.code).toBe('MODEL_NOT_GGUF');
    expect(error.message).toMatch(/GGUF signature/);
  });

  it('gives MODEL_NOT_GGUF for a text file', () => {
    expect(failure(write('notes.gguf', 'This is not a model, just some text.\n')).code).toBe('MODEL_NOT_GGUF');
  });

  it('gives MODEL_NOT_GGUF for the magic in the wrong byte order or case', () => {
    const withMagic = (magic: string): Buffer => Buffer.concat([Buffer.from(magic), ggufHeader(3, 0n, 0n).subarray(4)]);
    expect(failure(write('fugg.gguf', withMagic('FUGG'))).code).toBe('MODEL_NOT_GGUF');
    expect(failure(write('lower.gguf', withMagic('gguf'))).code).toBe('MODEL_NOT_GGUF');
  });

  it('gives MODEL_UNSUPPORTED for GGUF version 1, mentioning the version', () => {
    const error = failure(write('v1.gguf', ggufHeader(1, 2n, 5n)));
    expect(error.code).toBe('MODEL_UNSUPPORTED');
    expect(error.message).toMatch(/version 1\b/);
  });

  it.each([0, 4, 0xffffffff])('gives MODEL_UNSUPPORTED for GGUF version %i', (version) => {
    const error = failure(write(`v${version}.gguf`, ggufHeader(version, 0n, 0n)));
    expect(error.code).toBe('MODEL_UNSUPPORTED');
    expect(error.message).toContain(`version ${version}`);
  });

  it('reads a version 3 header', () => {
    const file = write('v3.gguf', ggufHeader(3, 2n, 5n));
    expect(readGgufHeader(file)).toEqual({ version: 3, tensorCount: 2n, metadataCount: 5n });
  });

  it('reads a version 2 header followed by more data', () => {
    const file = write('v2.gguf', ggufHeader(2, 7n, 11n, 4096));
    expect(readGgufHeader(file)).toEqual({ version: 2, tensorCount: 7n, metadataCount: 11n });
  });

  it('reads 64-bit counts beyond Number.MAX_SAFE_INTEGER exactly', () => {
    const big = 2n ** 63n + 3n;
    const file = write('big.gguf', ggufHeader(3, big, 2n ** 64n - 1n));
    expect(readGgufHeader(file)).toEqual({ version: 3, tensorCount: big, metadataCount: 2n ** 64n - 1n });
  });

  it('does not modify the file it reads', () => {
    const bytes = ggufHeader(3, 2n, 5n, 100);
    const file = write('untouched.gguf', bytes);
    readGgufHeader(file);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it.skipIf(!haveSharedModel)('reads the header of the shared stories260K.gguf as version 3', () => {
    const header = readGgufHeader(sharedModel);
    expect(header.version).toBe(3);
    expect(header.tensorCount).toBeGreaterThan(0n);
    expect(header.metadataCount).toBeGreaterThan(0n);
  });
});
