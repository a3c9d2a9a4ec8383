// One web server per test file, and the raw HTTP and WebSocket helpers its tests use.
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type RawData, WebSocket } from 'ws';
import { LongtaleError } from '../../../electron/contract/index.js';
import { Engine, type ModelLoader } from '../../../electron/engine/Engine.js';
import { startWebServer, type WebServer } from '../../../electron/transport/webServer.js';

export const INDEX_HTML = '<!doctype html><title>Longtale test</title><div id="app"></div>';
export const APP_JS = 'console.log("longtale test app");';
export const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';

/** A loader that has no model: the web server tests never need one. */
export const noModels: ModelLoader = {
  validate(file) {
    throw new LongtaleError('MODEL_NOT_FOUND', `no models in tests: ${file}`);
  },
  load: () => Promise.reject(new LongtaleError('MODEL_LOAD_FAILED', 'no models in tests')),
  dispose: () => Promise.resolve(),
};

/** A temp dir holding `renderer/` (index.html, assets/app.js) and, next to it, `secret.txt`. */
export function makeRendererDir(): { parent: string; rendererDir: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-web-'));
  const rendererDir = path.join(parent, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), APP_JS);
  fs.writeFileSync(path.join(parent, 'secret.txt'), SECRET);
  return { parent, rendererDir };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request to 127.0.0.1:port with full control over Host, Cookie and the request target. */
export function request(
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

export interface SocketOptions {
  path?: string;
  origin?: string;
  headers?: Record<string, string>;
}

export function connect(port: number, options: SocketOptions = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, {
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    headers: options.headers ?? {},
  });
}

/** The HTTP status with which the server refuses the upgrade (rejects if the socket opens instead). */
export function refusedStatus(port: number, options: SocketOptions): Promise<number> {
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
export interface ApiSocket {
  ws: WebSocket;
  next(): Promise<unknown>;
  closed: Promise<number>;
}

export function openSocket(port: number, options: SocketOptions): Promise<ApiSocket> {
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
export function tryConnect(host: string, port: number): Promise<string> {
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

// Live bindings: set once the server has started (useWebServer), read by the tests.
export let parent: string;
export let rendererDir: string;
export let engine: Engine;
export let server: WebServer;
export let port: number;
export let token: string;
export let cookie: string;
/** Sockets a test opened: terminated after it. */
export const sockets: WebSocket[] = [];

/** Starts one server for the test file (in-memory engine, a renderer folder with a secret beside it) and stops it after. */
export function useWebServer(): void {
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
}

/** Opens an authorized API socket from our own origin; it is terminated after the test. */
export async function apiSocket(): Promise<ApiSocket> {
  const socket = await openSocket(port, { origin: `http://127.0.0.1:${port}`, headers: { Cookie: cookie } });
  sockets.push(socket.ws);
  return socket;
}

