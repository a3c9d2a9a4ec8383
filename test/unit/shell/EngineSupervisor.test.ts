import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../../electron/shell/EngineSupervisor.js';

/** A stand-in for the engine's utility process: a Node child that runs until told to crash. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-supervisor-'));
const script = path.join(dir, 'engine.cjs');
fs.writeFileSync(script, `process.on('message', (m) => { if (m === 'crash') process.abort(); }); setInterval(() => {}, 1000);`);

const supervisors: EngineSupervisor<ChildProcess>[] = [];
afterEach(() => supervisors.splice(0).forEach((s) => s.stop()));

function supervise(options: { maxRestarts?: number } = {}) {
  const starts: { pid: number | undefined; restarted: boolean }[] = [];
  let gaveUp = 0;
  const supervisor = new EngineSupervisor<ChildProcess>({
    spawn: () => fork(script, [], { stdio: 'ignore' }),
    onStart: (child, restarted) => starts.push({ pid: child.pid, restarted }),
    onGiveUp: (crashes) => (gaveUp = crashes),
    delayMs: 10,
    maxRestarts: options.maxRestarts,
  });
  supervisors.push(supervisor);
  return { supervisor, starts, gaveUp: () => gaveUp };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('EngineSupervisor with a forked child standing in for the utility process', () => {
  it('restarts the engine after a crash and hands the new one over', async () => {
    const { supervisor, starts } = supervise();
    supervisor.start();
    await until(() => starts.length === 1);
    supervisor.current?.send('crash');
    await until(() => starts.length === 2);
    expect(starts.map((s) => s.restarted)).toEqual([false, true]);
    expect(starts[1]?.pid).not.toBe(starts[0]?.pid);
    expect(supervisor.current?.exitCode).toBeNull();
  });

  it('gives up on a crash loop instead of spinning', async () => {
    const { supervisor, starts, gaveUp } = supervise({ maxRestarts: 2 });
    supervisor.start();
    for (let i = 1; i <= 3; i++) {
      await until(() => starts.length === i);
      supervisor.current?.send('crash');
    }
    await until(() => gaveUp() > 0);
    expect(gaveUp()).toBe(3);
    expect(starts).toHaveLength(3);
  });

  it('does not restart an engine it stopped itself', async () => {
    const { supervisor, starts } = supervise();
    supervisor.start();
    await until(() => starts.length === 1);
    const child = supervisor.current as ChildProcess;
    supervisor.stop();
    await until(() => child.exitCode !== null || child.signalCode !== null);
    await new Promise((r) => setTimeout(r, 50));
    expect(starts).toHaveLength(1);
  });
});
