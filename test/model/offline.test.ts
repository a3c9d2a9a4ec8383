import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../electron/contract/index.js';
import { Engine } from '../../electron/engine/Engine.js';
import { llamaModelLoader } from '../../electron/engine/llamaModelLoader.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();
console.info(testModel.reason);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-offline-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Replaces every way Node reaches the network with a recorder that refuses. */
function recordNetworkAttempts(): { attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const patches: [object, string, unknown][] = [];
  const patch = (target: object, name: string, label: string) => {
    const original = (target as Record<string, unknown>)[name];
    patches.push([target, name, original]);
    (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
      attempts.push(`${label} ${JSON.stringify(args[0])?.slice(0, 80)}`);
      throw new Error(`network use in an offline test: ${label}`);
    };
  };
  patch(net.Socket.prototype, 'connect', 'net.Socket.connect');
  patch(net, 'connect', 'net.connect');
  patch(net, 'createConnection', 'net.createConnection');
  patch(tls, 'connect', 'tls.connect');
  patch(http, 'request', 'http.request');
  patch(http, 'get', 'http.get');
  patch(https, 'request', 'https.request');
  patch(https, 'get', 'https.get');
  patch(dns, 'lookup', 'dns.lookup');
  patch(dns, 'resolve', 'dns.resolve');
  patch(dns.promises, 'lookup', 'dns.promises.lookup');
  patch(globalThis, 'fetch', 'fetch');
  return {
    attempts,
    restore: () => patches.reverse().forEach(([target, name, original]) => ((target as Record<string, unknown>)[name] = original)),
  };
}

describe('R5: offline', () => {
  it('the recorder itself sees an attempt (so an empty record means something)', async () => {
    const recorder = recordNetworkAttempts();
    try {
      expect(() => http.get('http://127.0.0.1:9/')).toThrow(/offline test/);
      expect(() => fetch('http://127.0.0.1:9/')).toThrow(/offline test/);
      expect(() => new net.Socket().connect(9, '127.0.0.1')).toThrow(/offline test/);
    } finally {
      recorder.restore();
    }
    expect(recorder.attempts).toHaveLength(3);
  });

  it('a 50-step session (load, open, co-write, play, auto, export) makes no network attempt', async () => {
    const recorder = recordNetworkAttempts();
    const engine = Engine.open({
      dbPath: path.join(dir, 'stories.db'),
      modelPath: testModel.path,
      loader: llamaModelLoader({ gpu: 'off', threads: 1, contextSize: 512 }),
      version: 'test',
      generation: { seed: 5, passageTokens: 40 },
    });
    try {
      const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });
      const opened = await engine.stories.create({ premise: 'A quiet village by a lake.' }, call());
      const id = opened.story.id;
      for (let i = 0; i < 20; i++) await engine.stories.step(id, undefined, i % 2 ? { choice: 1 } : { action: 'I walk on.' }, call());
      await engine.stories.auto(id, { passages: 29 }, call());
      await engine.archives.export(id, 'epub');
      expect(engine.stories.open(id).path.length).toBe(50);
    } finally {
      await engine.dispose();
      recorder.restore();
    }
    expect(recorder.attempts).toEqual([]);
  }, 300_000);
});
