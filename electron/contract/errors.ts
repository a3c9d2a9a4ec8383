/**
 * Every error that crosses a boundary is `{code, message}`. This table is the one place that maps a code to
 * what a person sees; the CLI, the web UI and the desktop app all read it.
 */
export const errorCodes = {
  BAD_REQUEST: 'The request was malformed.',
  UNKNOWN_METHOD: 'The engine does not know this request.',
  CANCELLED: 'Stopped.',
  INTERNAL: 'Something went wrong inside the engine.',
  NO_MODEL: 'No model is configured. Choose a GGUF model file to start writing.',
  MODEL_NOT_FOUND: 'The model file does not exist.',
  MODEL_NOT_GGUF: 'The file is not a GGUF model.',
  MODEL_UNSUPPORTED: 'This GGUF model cannot be loaded.',
  MODEL_LOAD_FAILED: 'The model could not be loaded.',
  MODEL_CORRUPT: 'The model file is damaged or incomplete.',
  DOWNLOAD_FAILED: 'The model could not be downloaded.',
  DISK_FULL: 'There is not enough free disk space.',
  GENERATION_FAILED: 'The model failed while writing.',
  DB_OPEN_FAILED: 'The story database could not be opened.',
  DB_TOO_NEW: 'The story database was written by a newer version of Longtale.',
  DB_CORRUPT: 'The story database is damaged. It has been left as it is; restore the latest backup with "longtale restore".',
  DB_WRITE_FAILED: 'The story database could not be written.',
  STORY_NOT_FOUND: 'That story does not exist.',
  NODE_NOT_FOUND: 'That passage does not exist.',
  MEMORY_NOT_FOUND: 'That memory entry does not exist.',
  INVALID_INPUT: 'Some input is not valid.',
  UNAUTHORIZED: 'Access denied.',
  DISCONNECTED: 'Lost the connection to the engine.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ApiError {
  code: ErrorCode;
  /** The specific detail, for example which file or which field. */
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

/** The one line a person reads: the general text for the code plus the specific detail when it adds something. */
export function describeError(error: ApiError): string {
  const general = errorCodes[error.code] ?? errorCodes.INTERNAL;
  if (!error.message || error.message === general) return general;
  return `${general} ${error.message}`;
}

/** An error the engine raises on purpose; it crosses the boundary as its code and message. */
export class LongtaleError extends Error {
  override name = 'LongtaleError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message };
  }
}
