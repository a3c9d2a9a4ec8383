import { RpcClient } from './RpcClient.js';

const RETRY_MS = [250, 500, 1000, 2000, 4000];

/** Web mode: the engine API over a WebSocket to the server that served this page; reconnects when dropped. */
export class WebSocketBackend extends RpcClient {
  readonly #url: string;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #disposed = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string) {
    super();
    this.#url = url;
    this.#connect();
  }

  static forPage(location: Location): WebSocketBackend {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new WebSocketBackend(`${scheme}//${location.host}/api`);
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.attach({ send: (message) => socket.send(JSON.stringify(message)) });
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      try {
        this.receive(JSON.parse(event.data));
      } catch {
        console.error('Longtale: the engine sent a message that is not JSON');
      }
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.detach(this.#disposed ? 'closed' : 'connecting');
      if (!this.#disposed) this.#retryTimer = setTimeout(() => this.#connect(), RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)]);
    };
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }
}
