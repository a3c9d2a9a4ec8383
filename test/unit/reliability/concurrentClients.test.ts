import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerMessage, StoryView } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { startWebServer } from '../../../electron/transport/webServer.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-clients-'));
fs.mkdirSync(path.join(dir, 'renderer'));
fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A client of web mode: calls by id, collects results. */
async function client(url: string) {
  const { origin, searchParams } = new URL(url);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${searchParams.get('token')}`, { origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 1;
  const waiting = new Map<number, (m: ServerMessage) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type !== 'event' && message.id !== null) waiting.get(message.id)?.(message);
  });
  return {
    call(method: string, params: object): Promise<ServerMessage> {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

describe('R6: two clients stepping the same story at once', () => {
  it('are served one after the other; both see a consistent tree and nothing is lost', async () => {
    const engine = Engine.open({ dbPath: path.join(dir, 'stories.db'), modelPath: '/m.gguf', loader: new ScriptedLoader(), version: 'test' });
    const server = await startWebServer({ engine, rendererDir: path.join(dir, 'renderer'), port: 0 });
    const [a, b] = await Promise.all([client(server.url), client(server.url)]);
    try {
      const created = await a!.call('stories.create', { premise: 'Two readers, one story.' });
      const storyId = (created.type === 'result' ? (created.result as StoryView) : null)!.story.id;
      const rounds = await Promise.all(
        Array.from({ length: 5 }, (_, i) => [
          a!.call('stories.step', { storyId, input: { plan: `A's move ${i}.` } }),
          b!.call('stories.step', { storyId, input: { action: `B's move ${i}.` } }),
        ]).flat(),
      );
      expect(rounds.every((m) => m.type === 'result')).toBe(true);
      const final = await a!.call('stories.open', { storyId });
      const path = (final as { result: StoryView }).result.path;
      // Ten steps, each from the node the previous one left current: one chain, every step present once.
      expect(path).toHaveLength(11);
      for (let i = 1; i < path.length; i++) expect(path[i]?.parentId).toBe(path[i - 1]?.id);
      const texts = path.slice(1).map((n) => ('text' in n.instruction ? n.instruction.text : ''));
      expect(new Set(texts).size).toBe(10);
      const fromB = await b!.call('stories.open', { storyId });
      expect((fromB as { result: StoryView }).result).toEqual((final as { result: StoryView }).result);
    } finally {
      a?.close();
      b?.close();
      await server.close();
      await engine.dispose();
    }
  });
});
