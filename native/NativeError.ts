/**
 * Errors raised by the native adapters. `native/` knows nothing of the API contract, so it names its failures
 * with its own codes; the engine passes them through, and the contract's table (which uses the same names)
 * turns them into what a person reads.
 */
export type NativeErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_NOT_GGUF'
  | 'MODEL_UNSUPPORTED'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_CORRUPT'
  | 'DOWNLOAD_FAILED'
  | 'DISK_FULL'
  | 'GENERATION_FAILED'
  | 'CANCELLED'
  | 'DB_OPEN_FAILED'
  | 'DB_TOO_NEW'
  | 'DB_CORRUPT'
  | 'DB_WRITE_FAILED';

export class NativeError extends Error {
  override name = 'NativeError';
  constructor(
    readonly code: NativeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
