import { type RunningServer, startServe } from '../../electron/bench/ui/serveProcess.js';

export type { RunningServer };

/**
 * Starts `longtale serve` from source in a child process with the small settings the e2e tests use; `env` adds
 * variables to the server's environment (a test fault hook, for one).
 */
export function startServer(options: { db: string; model?: string; home: string; env?: Record<string, string> }): Promise<RunningServer> {
  const args = ['--threads', '1', '--context-size', '512', '--passage-tokens', '60', '--seed', '3'];
  return startServe({ ...options, args });
}
