import { RpcClient } from './RpcClient.js';

/** The message the preload posts to the page, with the engine's MessagePort attached. */
export const ENGINE_PORT_MESSAGE = 'longtale:engine-port';

/**
 * Desktop mode: the engine runs in a utility process and talks to the page over a MessagePort that the
 * preload hands over. When the engine restarts, a new port arrives and the backend reattaches.
 */
export class ElectronBackend extends RpcClient {
  #port: MessagePort | null = null;
  readonly #onWindowMessage = (event: MessageEvent) => {
    if (event.source !== window || event.data !== ENGINE_PORT_MESSAGE || !event.ports[0]) return;
    this.#use(event.ports[0]);
  };

  constructor() {
    super();
    window.addEventListener('message', this.#onWindowMessage);
  }

  #use(port: MessagePort): void {
    if (this.#port) this.detach('connecting');
    this.#port?.close();
    this.#port = port;
    port.onmessage = (event) => this.receive(event.data);
    port.start();
    this.attach({ send: (message) => port.postMessage(message) });
  }

  dispose(): void {
    window.removeEventListener('message', this.#onWindowMessage);
    this.#port?.close();
    this.detach('closed');
  }
}
