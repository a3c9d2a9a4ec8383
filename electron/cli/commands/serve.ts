import path from 'node:path';
import type { Command } from 'commander';
import { startWebServer } from '../../transport/webServer.js';
import type { GlobalOptions } from '../openEngine.js';
import { openEngine } from '../openEngine.js';
import type { Output } from '../Output.js';
import { packageRoot } from '../packageRoot.js';
import { toInt } from './parse.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function serveCommand(program: Command, io: Output): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (web mode)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', toInt, 7878)
    .option('--host <host>', 'address to bind; anything but loopback exposes your stories to the network', '127.0.0.1')
    .action(async (options: { port: number; host: string }) => {
      const engine = openEngine(program.opts<GlobalOptions>());
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
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.close();
      await engine.dispose();
    });
}
