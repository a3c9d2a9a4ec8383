import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Decides who may talk to web mode: the right Host (against DNS rebinding), the token (from the query or the
 * cookie set when the printed URL was first opened) and, for the API socket, our own Origin.
 */
export class AccessGuard {
  readonly token: string;
  readonly cookieName: string;
  readonly #hosts: Set<string>;

  constructor(options: { token: string; port: number; host: string }) {
    this.token = options.token;
    this.cookieName = `longtale_token_${options.port}`;
    const names = [...LOOPBACK_HOSTS, hostForHeader(options.host)];
    // Bound to every interface (--host 0.0.0.0): the page is opened by this machine's addresses or name.
    if (options.host === '0.0.0.0' || options.host === '::') names.push(...machineNames());
    this.#hosts = new Set(names.map((h) => `${h}:${options.port}`));
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.#hosts.has((req.headers.host ?? '').toLowerCase());
  }

  /** The API socket must come from a page we served: a browser always sends Origin on WebSocket upgrades. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin !== undefined && origin.toLowerCase() === `http://${req.headers.host ?? ''}`.toLowerCase();
  }

  queryToken(req: IncomingMessage): string | null {
    return new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  }

  cookieToken(req: IncomingMessage): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === this.cookieName) return rest.join('=');
    }
    return null;
  }

  tokenValid(candidate: string | null): boolean {
    if (candidate === null) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  authorized(req: IncomingMessage): boolean {
    return this.tokenValid(this.queryToken(req)) || this.tokenValid(this.cookieToken(req));
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function hostForHeader(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

function machineNames(): string[] {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => hostForHeader(i.address)));
  const name = os.hostname().toLowerCase();
  return [...addresses, name, `${name}.local`];
}
