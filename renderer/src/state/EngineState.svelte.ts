import type { EngineStatus } from '../../../electron/contract/index.js';
import type { Backend, ConnectionState } from '../backend/Backend.js';
import { describe } from './describe.js';

/** The engine's status (which model, is it ready) and the connection to it. */
export class EngineState {
  #status = $state<EngineStatus | null>(null);
  #connection = $state<ConnectionState>('connecting');
  #error = $state<string | null>(null);
  #busy = $state(false);
  /** The connection came back after it was lost (the engine restarted, or the network dropped), until dismissed. */
  #reconnected = $state(false);
  #wasOpen = false;

  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
    this.#connection = backend.connection;
    this.#wasOpen = backend.connection === 'open';
    backend.onConnectionChange((state) => {
      if (state === 'open' && this.#connection !== 'open' && this.#wasOpen) this.#reconnected = true;
      if (state === 'open') this.#wasOpen = true;
      this.#connection = state;
      if (state === 'open') void this.refresh();
    });
    if (backend.connection === 'open') void this.refresh();
  }

  get status(): EngineStatus | null {
    return this.#status;
  }
  get connection(): ConnectionState {
    return this.#connection;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get reconnected(): boolean {
    return this.#reconnected;
  }

  dismissReconnected(): void {
    this.#reconnected = false;
  }

  /** True when the UI must ask for a model before anything can be written. */
  get needsModel(): boolean {
    const state = this.#status?.model.state;
    return state === 'none' || state === 'error';
  }

  async refresh(): Promise<void> {
    try {
      this.#status = await this.#backend.call('engine.status', {});
    } catch (error) {
      this.#error = describe(error);
    }
  }

  async openModel(path: string): Promise<boolean> {
    this.#busy = true;
    this.#error = null;
    try {
      this.#status = await this.#backend.call('model.open', { path });
      return true;
    } catch (error) {
      this.#error = describe(error);
      await this.refresh();
      return false;
    } finally {
      this.#busy = false;
    }
  }
}
