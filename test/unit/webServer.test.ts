import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RawData, WebSocket } from 'ws';
import { LongtaleError, MAX_MESSAGE_BYTES } from '../../electron/contract/index.js';
import { Engine, type ModelLoader } from '../../electron/engine/Engine.js';
import { startWebServer, type WebServer } from '../../electron/transport/webServer.js';

const INDEX_HTML = '<!doctype html><title>Longtale test</title><div id="app"></div>';
const APP_JS = 'console.log("longtale test app");';
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';

/** A loader that has no model: the web server tests never need one. */
const noModels: ModelLoader = {
  validate(file) {
    throw new LongtaleError('MODEL_NOT_FOUND', `no models in tests: ${file}`);
  },
  load: () => Promise.reject(new LongtaleError('MODEL_LOAD_FAILED', 'no models in tests')),
  dispose: () => Promise.resolve(),
};

/** A temp dir holding `renderer/` (index.html, assets/app.js) and, next to it, `secret.txt`. */
function makeRendererDir(): { parent: string; rendererDir: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-web-'));
  const rendererDir = path.join(parent, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), APP_JS);
  fs.writeFileSync(path.join(parent, 'secret.txt'), SECRET);
  return { parent, rendererDir };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request to 127.0.0.1:port with full control over Host, Cookie and the request target. */
function request(
  port: number,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: target,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface SocketOptions {
  path?: string;
  origin?: string;
  headers?: Record<string, string>;
}

function connect(port: number, options: SocketOptions = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, {
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    headers: options.headers ?? {},
  });
}

/** The HTTP status with which the server refuses the upgrade (rejects if the socket opens instead). */
function refusedStatus(port: number, options: SocketOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = connect(port, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', reject);
  });
}

/** An open API socket whose messages queue up for `next()`. */
interface ApiSocket {
  ws: WebSocket;
  next(): Promise<unknown>;
  closed: Promise<number>;
}

function openSocket(port: number, options: SocketOptions): Promise<ApiSocket> {
  return new Promise((resolve, reject) => {
    const ws = connect(port, options);
    const queue: unknown[] = [];
    const waiters: ((message: unknown) => void)[] = [];
    ws.on('message', (data: RawData) => {
      const message: unknown = JSON.parse(data.toString());
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('open', () =>
      resolve({
        ws,
        closed,
        next: () =>
          queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise<unknown>((done) => waiters.push(done)),
      }),
    );
  });
}

/** Resolves with the error code of a failed TCP connect, or 'connected' if it succeeds. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

let parent: string;
let rendererDir: string;
let engine: Engine;
let server: WebServer;
let port: number;
let token: string;
let cookie: string;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ({ parent, rendererDir } = makeRendererDir());
  engine = Engine.open({ dbPath: ':memory:', version: 'test', loader: noModels });
  server = await startWebServer({ engine, rendererDir, port: 0 });
  port = server.port;
  token = new URL(server.url).searchParams.get('token') ?? '';
  const login = await request(port, `/?token=${token}`);
  const setCookie = login.headers['set-cookie']?.[0] ?? '';
  cookie = setCookie.split(';')[0] ?? '';
});

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

afterAll(async () => {
  await server?.close();
  await engine?.dispose();
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
});

/** Opens an authorized API socket from our own origin; it is terminated after the test. */
async function apiSocket(): Promise<ApiSocket> {
  const socket = await openSocket(port, { origin: `http://127.0.0.1:${port}`, headers: { Cookie: cookie } });
  sockets.push(socket.ws);
  return socket;
}

describe('startWebServer: address', () => {
  it('prints a URL on 127.0.0.1 with a token query parameter', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(port));
    expect(token.length).toBeGreaterThanOrEqual(16);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect('::1', port)).not.toBe('connected');
    // On Linux all of 127/8 is loopback: a wildcard listener would answer here, a 127.0.0.1 one does not.
    expect(await tryConnect('127.0.0.2', port)).not.toBe('connected');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (external) expect(await tryConnect(external.address, port)).not.toBe('connected');
  });

  it('refuses to start when the renderer is not built, pointing at npm run build', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-web-empty-'));
    try {
      await expect(startWebServer({ engine, rendererDir: empty, port: 0 })).rejects.toThrow(/npm run build/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('startWebServer: token', () => {
  it('answers 401 without a token, and says so', async () => {
    const res = await request(port, '/');
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/token/i);
  });

  it('answers 401 with a wrong token', async () => {
    expect((await request(port, '/?token=wrong')).status).toBe(401);
    expect((await request(port, `/?token=${token}x`)).status).toBe(401);
    expect((await request(port, '/', { headers: { Cookie: `${cookie}x` } })).status).toBe(401);
  });

  it('trades the right token for an HttpOnly SameSite=Strict cookie and a 303 to / without the token', async () => {
    const res = await request(port, `/?token=${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers.location).not.toContain(token);
    const setCookie = res.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toContain(`=${token}`);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
  });

  it('keeps the rest of the query when it strips the token', async () => {
    const res = await request(port, `/story/3?token=${token}&x=1`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/story/3?x=1');
  });

  it('never redirects to another site when trading the token (no open redirect)', async () => {
    for (const target of [`//attacker.example?token=${token}`, `//x//attacker.example?token=${token}`]) {
      const res = await request(port, target);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/(?!\/)/);
    }
  });

  it('serves index.html as text/html with the cookie', async () => {
    const res = await request(port, '/', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX_HTML);
  });

  it('serves assets as text/javascript with the cookie', async () => {
    const res = await request(port, '/assets/app.js', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.body).toBe(APP_JS);
  });

  it('finds its cookie among others', async () => {
    const res = await request(port, '/', { headers: { Cookie: `a=1; ${cookie}; b=2` } });
    expect(res.status).toBe(200);
  });
});

describe('startWebServer: static files', () => {
  it('never serves a file outside rendererDir (path traversal)', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fsecret',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      `/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f${parent.slice(1)}/secret.txt`,
      `/${encodeURIComponent(path.join(parent, 'secret.txt'))}`,
    ];
    for (const target of attempts) {
      const res = await request(port, target, { headers: { Cookie: cookie } });
      expect(res.body, target).not.toContain(SECRET);
      expect(res.body, target).not.toContain('root:');
      expect(res.body, target).not.toContain('"name": "longtale"');
      expect(res.status === 404 || res.body === INDEX_HTML, `${target} → ${res.status}`).toBe(true);
    }
  });

  it('answers 404 for an unknown asset with an extension', async () => {
    const res = await request(port, '/assets/missing.js', { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
  });

  it('answers an app route without an extension with index.html', async () => {
    const res = await request(port, '/story/3', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX_HTML);
  });

  it('answers 405 to POST', async () => {
    const res = await request(port, '/', { method: 'POST', headers: { Cookie: cookie } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD without a body', async () => {
    const res = await request(port, '/', { method: 'HEAD', headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });
});

describe('startWebServer: Host header (DNS rebinding)', () => {
  it('answers 421 to a foreign Host even with a valid token', async () => {
    const res = await request(port, `/?token=${token}`, { headers: { Host: `evil.example:${port}` } });
    expect(res.status).toBe(421);
    expect(res.headers['set-cookie']).toBeUndefined();
    const withCookie = await request(port, '/', { headers: { Host: `evil.example:${port}`, Cookie: cookie } });
    expect(withCookie.status).toBe(421);
    expect(withCookie.body).not.toContain(INDEX_HTML);
  });

  it('answers 421 to the loopback name on another port', async () => {
    const res = await request(port, '/', { headers: { Host: `127.0.0.1:${port + 1}`, Cookie: cookie } });
    expect(res.status).toBe(421);
  });

  it('accepts localhost:PORT and 127.0.0.1:PORT', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      const res = await request(port, '/', { headers: { Host: host, Cookie: cookie } });
      expect(res.status, host).toBe(200);
    }
  });
});

describe('startWebServer: security headers', () => {
  it('sends a strict CSP and the other security headers', async () => {
    for (const res of [
      await request(port, '/', { headers: { Cookie: cookie } }),
      await request(port, '/assets/app.js', { headers: { Cookie: cookie } }),
      await request(port, '/'),
      await request(port, '/', { headers: { Host: 'evil.example' } }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('startWebServer: WebSocket /api upgrade', () => {
  it('opens with the cookie and our own Origin, and answers stories.list', async () => {
    const socket = await apiSocket();
    socket.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'stories.list', params: {} }));
    expect(await socket.next()).toEqual({ type: 'result', id: 1, result: [] });
  });

  it('opens with the token in the query instead of the cookie', async () => {
    const socket = await openSocket(port, { path: `/api?token=${token}`, origin: `http://127.0.0.1:${port}` });
    sockets.push(socket.ws);
    socket.ws.send(JSON.stringify({ type: 'call', id: 7, method: 'stories.list', params: {} }));
    expect(await socket.next()).toEqual({ type: 'result', id: 7, result: [] });
  });

  it('opens from localhost:PORT with the matching Origin', async () => {
    const socket = await openSocket(port, {
      origin: `http://localhost:${port}`,
      headers: { Host: `localhost:${port}`, Cookie: cookie },
    });
    sockets.push(socket.ws);
  });

  it('answers engine.status with the version', async () => {
    const socket = await apiSocket();
    socket.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'engine.status', params: {} }));
    const reply = (await socket.next()) as { type: string; id: number; result: { version: string } };
    expect(reply.type).toBe('result');
    expect(reply.id).toBe(2);
    expect(reply.result.version).toBe('test');
  });

  it('refuses the upgrade without a token: 401', async () => {
    expect(await refusedStatus(port, { origin: `http://127.0.0.1:${port}` })).toBe(401);
    expect(await refusedStatus(port, { origin: `http://127.0.0.1:${port}`, headers: { Cookie: 'x=1' } })).toBe(401);
  });

  it('refuses the upgrade without an Origin: 403', async () => {
    expect(await refusedStatus(port, { headers: { Cookie: cookie } })).toBe(403);
  });

  it('refuses the upgrade from a foreign Origin: 403', async () => {
    expect(await refusedStatus(port, { origin: 'http://evil.example', headers: { Cookie: cookie } })).toBe(403);
    expect(
      await refusedStatus(port, { origin: `http://localhost:${port}`, headers: { Cookie: cookie } }),
      'Origin must match Host exactly',
    ).toBe(403);
  });

  it('refuses the upgrade with a foreign Host: 421', async () => {
    expect(
      await refusedStatus(port, {
        origin: `http://evil.example:${port}`,
        headers: { Host: `evil.example:${port}`, Cookie: cookie },
      }),
    ).toBe(421);
  });

  it('refuses the upgrade on a path other than /api: 404', async () => {
    const ok = { origin: `http://127.0.0.1:${port}`, headers: { Cookie: cookie } };
    expect(await refusedStatus(port, { ...ok, path: '/' })).toBe(404);
    expect(await refusedStatus(port, { ...ok, path: '/api/x' })).toBe(404);
  });
});

describe('startWebServer: messages over an open socket', () => {
  it('answers invalid JSON with BAD_REQUEST and id null', async () => {
    const socket = await apiSocket();
    socket.ws.send('{not json');
    expect(await socket.next()).toMatchObject({ type: 'error', id: null, error: { code: 'BAD_REQUEST' } });
  });

  it('answers an unknown method with UNKNOWN_METHOD and the id', async () => {
    const socket = await apiSocket();
    socket.ws.send(JSON.stringify({ type: 'call', id: 3, method: 'no.such', params: {} }));
    expect(await socket.next()).toMatchObject({ type: 'error', id: 3, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('answers params that fail validation with INVALID_INPUT', async () => {
    const socket = await apiSocket();
    socket.ws.send(JSON.stringify({ type: 'call', id: 4, method: 'stories.open', params: { storyId: -1 } }));
    expect(await socket.next()).toMatchObject({ type: 'error', id: 4, error: { code: 'INVALID_INPUT' } });
  });

  it('rejects extra fields on the envelope with BAD_REQUEST', async () => {
    const socket = await apiSocket();
    socket.ws.send(JSON.stringify({ type: 'call', id: 5, method: 'stories.list', params: {}, extra: true }));
    expect(await socket.next()).toMatchObject({ type: 'error', id: 5, error: { code: 'BAD_REQUEST' } });
  });

  it('answers a binary frame with BAD_REQUEST', async () => {
    const socket = await apiSocket();
    socket.ws.send(Buffer.from(JSON.stringify({ type: 'call', id: 6, method: 'stories.list', params: {} })));
    expect(await socket.next()).toMatchObject({ type: 'error', id: null, error: { code: 'BAD_REQUEST' } });
  });

  it('closes the socket on a message over 1 MB, and the server keeps serving', async () => {
    const socket = await apiSocket();
    socket.ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await socket.closed).toBe(1009);
    const fresh = await apiSocket();
    fresh.ws.send(JSON.stringify({ type: 'call', id: 8, method: 'stories.list', params: {} }));
    expect(await fresh.next()).toEqual({ type: 'result', id: 8, result: [] });
    expect((await request(port, '/', { headers: { Cookie: cookie } })).status).toBe(200);
  });
});

describe('startWebServer: --host', () => {
  let other: WebServer | undefined;

  afterEach(async () => {
    await other?.close();
    other = undefined;
  });

  it('binds another loopback address and answers to it as Host and Origin', async (context) => {
    try {
      other = await startWebServer({ engine, rendererDir, host: '127.0.0.2', port: 0 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EINVAL') return context.skip('127.0.0.2 is not bindable here');
      throw error;
    }
    const url = new URL(other.url);
    expect(url.hostname).toBe('127.0.0.2');
    const otherToken = url.searchParams.get('token') ?? '';
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.2', port: other?.port, path: `/?token=${otherToken}`, agent: false }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    expect(res).toBe(303);
    const ws = new WebSocket(`ws://127.0.0.2:${other.port}/api?token=${otherToken}`, {
      origin: `http://127.0.0.2:${other.port}`,
    });
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
  });
});
