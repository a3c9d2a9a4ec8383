import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../../electron/contract/index.js';
import { startWebServer, type WebServer } from '../../../electron/transport/webServer.js';
import { apiSocket, cookie, engine, openSocket, port, refusedStatus, rendererDir, request, sockets, token, useWebServer } from './webServerFixture.js';

useWebServer();

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
