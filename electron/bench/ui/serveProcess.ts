import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../cli/packageRoot.js';

export interface RunningServer {
  url: string;
  origin: string;
  stop(): Promise<void>;
  output(): string;
}

export interface ServeOptions {
  db: string;
  /** LONGTALE_HOME of the server: settings and models folder, kept apart from the user's. */
  home: string;
  model?: string;
  /** Global CLI options before `serve` (threads, context size, …). */
  args?: string[];
  /** Variables added to the server's environment. */
  env?: Record<string, string>;
}

/** Starts `longtale serve` from source in a child process, as a user would, and waits for the URL it prints. */
export async function startServe(options: ServeOptions): Promise<RunningServer> {
  const root = packageRoot();
  if (!fs.existsSync(path.join(root, 'out/renderer/index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" (npm test does it) first.');
  }
  const args = ['electron/cli/run.ts', '--db', options.db, ...(options.args ?? [])];
  if (options.model) args.push('--model', options.model);
  args.push('serve', '--port', '0');
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), args, {
    cwd: root,
    env: { ...process.env, LONGTALE_HOME: options.home, LONGTALE_MODEL: '', LONGTALE_DB: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no URL in 60 s:\n${log}`)), 60_000);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${log}`)));
  });
  return { url, origin: new URL(url).origin, stop: () => stop(child), output: () => log };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
