import {
  type CallEvent,
  type ClientMessage,
  ClientMessage as ClientMessageSchema,
  isMethodName,
  LongtaleError,
  MAX_MESSAGE_BYTES,
  methods,
  type ServerMessage,
} from '../contract/index.js';
import type { Engine } from './Engine.js';
import { handlers } from './handlers.js';
import { toApiError } from './toApiError.js';

/**
 * One client's session with the engine, whatever the transport. Every inbound message is validated before it
 * reaches a handler; every call can be cancelled by id; closing the connection cancels what is still running.
 */
export class Connection {
  readonly #engine: Engine;
  readonly #send: (message: ServerMessage) => void;
  readonly #running = new Map<number, AbortController>();
  #closed = false;

  constructor(engine: Engine, send: (message: ServerMessage) => void) {
    this.#engine = engine;
    this.#send = send;
  }

  /** Accepts a raw message: a JSON string (WebSocket) or an already structured value (MessagePort). */
  receive(raw: unknown): void {
    const parsed = parseMessage(raw);
    if (!parsed.ok) {
      this.#post({ type: 'error', id: parsed.id, error: { code: 'BAD_REQUEST', message: parsed.message } });
      return;
    }
    const message = parsed.message;
    if (message.type === 'cancel') {
      this.#running.get(message.id)?.abort();
      return;
    }
    void this.#call(message);
  }

  async #call(message: Extract<ClientMessage, { type: 'call' }>): Promise<void> {
    const { id, method } = message;
    if (this.#running.has(id)) {
      this.#post({ type: 'error', id, error: { code: 'BAD_REQUEST', message: `Request id ${id} is already running.` } });
      return;
    }
    const controller = new AbortController();
    this.#running.set(id, controller);
    try {
      if (!isMethodName(method)) throw new LongtaleError('UNKNOWN_METHOD', `Unknown method "${method}".`);
      const params = methods[method].params.parse(message.params ?? {});
      const handler = handlers[method] as (e: Engine, p: unknown, c: unknown) => unknown;
      const result = await handler(this.#engine, params, {
        signal: controller.signal,
        emit: (event: CallEvent) => this.#post({ type: 'event', id, event }),
      });
      // A handler that finished has committed its work: report it even if a cancel arrived meanwhile, once on disk.
      await this.#engine.durable();
      this.#post({ type: 'result', id, result });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'INTERNAL') console.error(`[engine] ${method} failed:`, error);
      this.#post({ type: 'error', id, error: apiError });
    } finally {
      this.#running.delete(id);
    }
  }

  #post(message: ServerMessage): void {
    if (!this.#closed) this.#send(message);
  }

  close(): void {
    this.#closed = true;
    for (const controller of this.#running.values()) controller.abort();
    this.#running.clear();
  }
}

type Parsed = { ok: true; message: ClientMessage } | { ok: false; id: number | null; message: string };

function parseMessage(raw: unknown): Parsed {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_MESSAGE_BYTES) return { ok: false, id: null, message: 'The message is too large.' };
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, id: null, message: 'The message is not JSON.' };
    }
  }
  const result = ClientMessageSchema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const id = (value as { id?: unknown } | null)?.id;
  const issue = result.error.issues[0];
  return {
    ok: false,
    id: typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null,
    message: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
  };
}
