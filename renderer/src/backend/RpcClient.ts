import {
  type ClientMessage,
  isErrorCode,
  type MethodName,
  type Params,
  type Result,
  ServerMessage,
} from '../../../electron/contract/index.js';
import { type Backend, BackendError, type CallOptions, type ConnectionState } from './Backend.js';

/** A link to the engine that carries contract messages: a WebSocket or a MessagePort. */
export interface Wire {
  send(message: ClientMessage): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: BackendError): void;
  options: CallOptions;
}

/**
 * The request/response/event protocol over any wire: ids, streamed events, cancellation. Transports subclass
 * it only to open their wire and report its state.
 */
export abstract class RpcClient implements Backend {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<(state: ConnectionState) => void>();
  #connection: ConnectionState = 'connecting';
  #wire: Wire | null = null;

  get connection(): ConnectionState {
    return this.#connection;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  call<M extends MethodName>(method: M, params: Params<M>, options: CallOptions = {}): Promise<Result<M>> {
    const id = this.#nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new BackendError('CANCELLED', 'Stopped.'));
      if (!this.#wire) return reject(new BackendError('DISCONNECTED', 'The engine is not connected.'));
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject, options });
      options.signal?.addEventListener('abort', () => this.#wire?.send({ type: 'cancel', id }), { once: true });
      this.#wire.send({ type: 'call', id, method, params });
    });
  }

  protected attach(wire: Wire): void {
    this.#wire = wire;
    this.#setConnection('open');
  }

  /** The wire is gone: calls in flight cannot finish, so they fail now rather than hang. */
  protected detach(state: ConnectionState): void {
    this.#wire = null;
    for (const pending of this.#pending.values()) {
      pending.reject(new BackendError('DISCONNECTED', 'The connection to the engine was lost during this request.'));
    }
    this.#pending.clear();
    this.#setConnection(state);
  }

  protected receive(raw: unknown): void {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) {
      console.error('Longtale: ignored a malformed message from the engine', parsed.error.issues[0]);
      return;
    }
    const message = parsed.data;
    const pending = message.id === null ? undefined : this.#pending.get(message.id);
    if (!pending) {
      if (message.type === 'error') console.error('Longtale engine error:', message.error);
      return;
    }
    if (message.type === 'event') return pending.options.onEvent?.(message.event);
    this.#pending.delete(message.id as number);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new BackendError(isErrorCode(message.error.code) ? message.error.code : 'INTERNAL', message.error.message));
  }

  #setConnection(state: ConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    for (const listener of this.#listeners) listener(state);
  }

  abstract dispose(): void;
}
