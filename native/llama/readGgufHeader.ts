import fs from 'node:fs';
import { NativeError } from '../NativeError.js';

export interface GgufHeader {
  version: number;
  tensorCount: bigint;
  metadataCount: bigint;
}

/** llama.cpp reads GGUF versions 2 and 3; version 1 was dropped. */
const SUPPORTED_VERSIONS = new Set([2, 3]);
const HEADER_BYTES = 24;

/**
 * Checks that a path is a readable GGUF file llama.cpp can load, before handing it to the native loader, whose
 * failures on bad files are vague or fatal. Reads only the first 24 bytes.
 */
export function readGgufHeader(file: string): GgufHeader {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw fileError(file, error);
  }
  if (!stat.isFile()) throw new NativeError('MODEL_NOT_GGUF', `${file} is not a file.`);
  if (stat.size < HEADER_BYTES) throw new NativeError('MODEL_NOT_GGUF', `${file} is only ${stat.size} bytes long.`);

  const bytes = Buffer.alloc(HEADER_BYTES);
  let read: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      read = fs.readSync(fd, bytes, 0, HEADER_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw fileError(file, error);
  }
  if (read < HEADER_BYTES) throw new NativeError('MODEL_NOT_GGUF', `${file} ended after ${read} bytes.`);
  if (bytes.toString('latin1', 0, 4) !== 'GGUF') {
    throw new NativeError('MODEL_NOT_GGUF', `${file} does not start with the GGUF signature.`);
  }
  const version = bytes.readUInt32LE(4);
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new NativeError('MODEL_UNSUPPORTED', `${file} is GGUF version ${version}; llama.cpp reads versions 2 and 3.`);
  }
  return { version, tensorCount: bytes.readBigUInt64LE(8), metadataCount: bytes.readBigUInt64LE(16) };
}

function fileError(file: string, error: unknown): NativeError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NativeError('MODEL_NOT_FOUND', file);
  const reason = error instanceof Error ? error.message : String(error);
  return new NativeError('MODEL_LOAD_FAILED', `${file} cannot be read: ${reason}`, { cause: error });
}
