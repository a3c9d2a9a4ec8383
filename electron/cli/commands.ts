import path from 'node:path';
import type { Command } from 'commander';
import { NewStory } from '../contract/index.js';
import { startWebServer } from '../transport/webServer.js';
import { type GlobalOptions, openEngine } from './openEngine.js';
import { packageRoot } from './packageRoot.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function registerCommands(program: Command, io: Output): void {
  const globals = () => program.opts<GlobalOptions>();

  program
    .command('serve')
    .description('serve the app to a browser on this machine (web mode)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', toInt, 7878)
    .option('--host <host>', 'address to bind; anything but loopback exposes your stories to the network', '127.0.0.1')
    .action(async (options: { port: number; host: string }) => {
      const engine = openEngine(globals());
      if (!LOOPBACK.has(options.host)) {
        io.err(`warning: serving on ${options.host}; anyone who can reach it and has the URL can read your stories.`);
      }
      const server = await startWebServer({
        engine,
        rendererDir: path.join(packageRoot(), 'out', 'renderer'),
        host: options.host,
        port: options.port,
      }).catch(async (error: unknown) => {
        await engine.dispose();
        throw error;
      });
      engine.preload();
      io.out(`Longtale is running at ${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await engine.dispose();
    });

  program
    .command('new')
    .description('start a story from a premise and write its first passage')
    .requiredOption('--premise <text>', 'what the story is about')
    .option('--title <title>', 'the title (default: from the premise)')
    .action(async (options: { premise: string; title?: string }) => {
      const request = NewStory.parse(options);
      const { json } = globals();
      const engine = openEngine(globals());
      try {
        const view = await engine.createStory(request, {
          signal: new AbortController().signal,
          emit: (event) => {
            if (!json && event.kind === 'token') process.stdout.write(event.text);
          },
        });
        const node = view.path.at(-1);
        if (json) {
          io.out(JSON.stringify({ storyId: view.story.id, nodeId: view.currentNodeId, title: view.story.title, passage: node?.passage }));
        } else {
          io.out('');
          io.err(`story ${view.story.id} "${view.story.title}", passage ${view.currentNodeId}`);
        }
      } finally {
        await engine.dispose();
      }
    });

  program
    .command('list')
    .description('list the stories')
    .action(async () => {
      const engine = openEngine(globals());
      try {
        const stories = engine.listStories();
        if (globals().json) return io.out(JSON.stringify(stories));
        if (stories.length === 0) return io.out('No stories yet. Start one with: longtale new --premise "..."');
        for (const s of stories) io.out(`${s.id}\t${s.title}\t${plural(s.passageCount, 'passage')}, ${plural(s.wordCount, 'word')}`);
      } finally {
        await engine.dispose();
      }
    });
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`"${value}" is not a whole number`);
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
