import {
  type CallEvent,
  type ErrorCode,
  type MethodName,
  type Params,
  type Result,
} from '../../../electron/contract/index.js';
import { type Backend, BackendError, type CallOptions, type ConnectionState } from '../backend/Backend.js';

export type FakeHandler<M extends MethodName> = (
  params: Params<M>,
  call: { emit(event: CallEvent): void; signal: AbortSignal | undefined },
) => Result<M> | Promise<Result<M>>;

/**
 * A Backend for tests: each method answers from a handler the test sets, every call is recorded, and the
 * connection can be dropped and restored. Streamed events go through `emit`, as the engine would send them.
 */
export class FakeBackend implements Backend {
  readonly calls: { method: MethodName; params: unknown }[] = [];
  readonly #handlers = new Map<MethodName, FakeHandler<never>>();
  readonly #listeners = new Set<(state: ConnectionState) => void>();
  readonly #answersStop = new Set<MethodName>();
  #connection: ConnectionState = 'open';

  get connection(): ConnectionState {
    return this.#connection;
  }

  on<M extends MethodName>(method: M, handler: FakeHandler<M>): this {
    this.#handlers.set(method, handler as unknown as FakeHandler<never>);
    return this;
  }

  /** Makes `method` fail with `{code, message}`. */
  fail(method: MethodName, code: ErrorCode, message = ''): this {
    return this.on(method, () => {
      throw new BackendError(code, message);
    });
  }

  /**
   * Lets `method`'s handler answer a stopped call itself (it sees the aborted signal), as the engine does for calls
   * that keep their work when stopped, such as stories.fromText; otherwise a stop rejects the call at once.
   */
  answersStop(method: MethodName): this {
    this.#answersStop.add(method);
    return this;
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  async call<M extends MethodName>(method: M, params: Params<M>, options: CallOptions = {}): Promise<Result<M>> {
    this.calls.push({ method, params });
    if (this.#connection !== 'open') throw new BackendError('DISCONNECTED', 'The engine is not connected.');
    const handler = this.#handlers.get(method) as FakeHandler<M> | undefined;
    if (!handler) throw new BackendError('UNKNOWN_METHOD', `The fake backend has no handler for ${method}.`);
    await Promise.resolve();
    const call = { emit: (event: CallEvent) => options.onEvent?.(event), signal: options.signal };
    if (this.#answersStop.has(method)) {
      if (options.signal?.aborted) throw new BackendError('CANCELLED', 'Stopped.');
      return handler(params, call);
    }
    const cancelled = new Promise<never>((_, reject) => {
      const abort = () => reject(new BackendError('CANCELLED', 'Stopped.'));
      if (options.signal?.aborted) abort();
      options.signal?.addEventListener('abort', abort, { once: true });
    });
    const result = Promise.resolve(handler(params, call));
    return Promise.race([result, cancelled]);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setConnection(state: ConnectionState): void {
    this.#connection = state;
    for (const listener of this.#listeners) listener(state);
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
