import type { ApiError, CallEvent, ErrorCode, MethodName, Params, Result } from '../../../electron/contract/index.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface CallOptions {
  onEvent?: (event: CallEvent) => void;
  signal?: AbortSignal;
}

/**
 * Everything the UI can ask of the engine. Components and state classes see only this; whether it travels over
 * an Electron MessagePort or a WebSocket is the concern of the implementation chosen at start-up.
 */
export interface Backend {
  call<M extends MethodName>(method: M, params: Params<M>, options?: CallOptions): Promise<Result<M>>;
  readonly connection: ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  dispose(): void;
}

/** A failed call, carrying the engine's `{code, message}`. */
export class BackendError extends Error implements ApiError {
  override name = 'BackendError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
