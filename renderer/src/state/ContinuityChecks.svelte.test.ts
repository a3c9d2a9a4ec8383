import { describe, expect, it, vi } from 'vitest';
import type { ContinuityCheck } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { ALONG_THE_STORY, ContinuityChecks } from './ContinuityChecks.svelte.js';

const result: ContinuityCheck = { question: 'Q?', answer: 'A', answerTokens: 1, baselineNats: 5, points: [{ nodeId: 3, position: 3, nats: 1 }], reply: 'A' };

describe('ContinuityChecks', () => {
  it('runs one check at a time, newest first, at the current passage or along the story', async () => {
    let release!: () => void;
    const backend = new FakeBackend().on('stories.checkContinuity', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return result;
    });
    const checks = new ContinuityChecks(backend, 7);
    const first = checks.run('Q?', 'A', true);
    await vi.waitFor(() => expect(backend.callsOf('stories.checkContinuity')).toHaveLength(1));
    expect(checks.running).toBe(true);
    expect(await checks.run('Other?', 'B', false)).toBe(false);
    expect(backend.callsOf('stories.checkContinuity')).toEqual([{ storyId: 7, question: 'Q?', answer: 'A', points: ALONG_THE_STORY }]);
    release();
    expect(await first).toBe(true);
    expect(checks.entries.map((e) => e.result)).toEqual([{ check: result }]);

    const second = checks.run('Other?', 'B', false);
    await vi.waitFor(() => expect(backend.callsOf('stories.checkContinuity')).toHaveLength(2));
    release();
    await second;
    expect(checks.entries.map((e) => e.question)).toEqual(['Other?', 'Q?']);
    expect(backend.callsOf('stories.checkContinuity')[1]).toMatchObject({ points: 1 });
    checks.remove(checks.entries[1]?.id ?? 0);
    expect(checks.entries.map((e) => e.question)).toEqual(['Other?']);
  });

  it('stops a running check, which keeps its reason', async () => {
    const backend = new FakeBackend().on('stories.checkContinuity', async (_params, { signal }) => {
      await new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('x'), { code: 'CANCELLED', message: 'The check was stopped.' }))));
      return result;
    });
    const checks = new ContinuityChecks(backend, 1);
    const run = checks.run('Q?', 'A', false);
    await vi.waitFor(() => expect(checks.running).toBe(true));
    checks.stop();
    expect(await run).toBe(false);
    expect(checks.running).toBe(false);
    expect(checks.entries[0]?.result).toMatchObject({ error: expect.stringMatching(/stopped/iu) });
  });
});
