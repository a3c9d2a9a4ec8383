import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract/index.js';
import { Connection } from '../engine/Connection.js';
import type { Engine } from '../engine/Engine.js';
import { AccessGuard } from './accessGuard.js';
import { securityHeaders } from './securityHeaders.js';
import { readStaticFile } from './staticFiles.js';

export interface WebServerOptions {
  engine: Engine;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  /** The address to open, with the access token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Web mode: the built renderer and the engine API over a WebSocket, for this machine only unless told otherwise. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const rendererDir = path.resolve(options.rendererDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The user interface is not built (${rendererDir} has no index.html). Run "npm run build".`);
  }
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = http.createServer();
  let guard: AccessGuard | undefined = undefined;

  server.on('request', (req, res) => guard && handleHttp(req, res, guard, rendererDir));
  server.on('upgrade', (req, socket, head) => {
    if (!guard || !upgradeAllowed(req, socket, guard)) return;
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(options.engine, (message) => ws.send(JSON.stringify(message)));
      ws.on('message', (data, isBinary) => connection.receive(isBinary ? null : data.toString('utf8')));
      ws.on('close', () => connection.close());
      ws.on('error', () => connection.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  guard = new AccessGuard({ token, port, host });
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function handleHttp(req: IncomingMessage, res: ServerResponse, guard: AccessGuard, rendererDir: string): void {
  const headers = securityHeaders();
  const reply = (status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (!guard.hostAllowed(req)) return reply(421, 'This server answers only to its own host name.');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method not allowed.', { Allow: 'GET, HEAD' });
  if (!guard.authorized(req)) {
    return reply(401, 'Longtale needs its access token: open the full URL that "longtale serve" printed.');
  }
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.searchParams.has('token')) {
    // Trade the token in the address bar for a cookie, so it does not linger in history or get shared by accident.
    url.searchParams.delete('token');
    // One leading slash only: "//host" in Location would send the browser to another site.
    const location = url.pathname.replace(/^\/+/, '/') + url.search;
    return reply(303, 'See Other', { Location: location, 'Set-Cookie': guard.setCookieHeader() });
  }
  // Paths without a file extension are the app's own routes: they all get the app.
  const isRoute = path.extname(url.pathname) === '';
  const file = readStaticFile(rendererDir, isRoute ? '/' : url.pathname);
  if (!file) return reply(404, 'Not found.');
  res.writeHead(200, {
    ...headers,
    'Content-Type': file.type,
    'Cache-Control': file.type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function upgradeAllowed(req: IncomingMessage, socket: Duplex, guard: AccessGuard): boolean {
  const refuse = (status: number, text: string) => {
    // Destroy once written: a half-closed socket from a client that never hangs up would hold server.close().
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return false;
  };
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/api') return refuse(404, 'Not Found');
  if (!guard.hostAllowed(req)) return refuse(421, 'Misdirected Request');
  if (!guard.originAllowed(req)) return refuse(403, 'Forbidden');
  if (!guard.authorized(req)) return refuse(401, 'Unauthorized');
  return true;
}
