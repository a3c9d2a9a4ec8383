import { describe, expect, it, vi } from 'vitest';
import type { SavedCheck } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { checkResult, withKeptChecks } from '../testing/keptChecks.js';
import { ContinuityChecks } from './ContinuityChecks.svelte.js';
import { KeptChecks } from './KeptChecks.svelte.js';

const JAR: SavedCheck = { id: 1, question: 'What is in the jar?', answer: 'the emerald' };
const DOG: SavedCheck = { id: 2, question: "What is the dog's name?", answer: 'Pip' };

/** The jar is carried; the dog's name has faded. */
const answer = (kept: SavedCheck) => checkResult(kept.question, kept.answer, kept.id === 1 ? 20 : 1.5, 12);

function setUp(backend: FakeBackend) {
  const continuity = new ContinuityChecks(backend, 7);
  return { continuity, kept: new KeptChecks(backend, 7, continuity) };
}

describe('KeptChecks', () => {
  it('reads, keeps (once) and forgets the checks kept with the story', async () => {
    const backend = withKeptChecks(new FakeBackend(), answer, [JAR]);
    const { kept } = setUp(backend);
    expect(kept.loaded).toBe(false);
    expect(await kept.load()).toBe(true);
    expect(kept.list).toEqual([JAR]);
    expect(await kept.save(DOG.question, DOG.answer)).toBe(true);
    expect(await kept.save(DOG.question, DOG.answer)).toBe(true);
    expect(kept.list.map((k) => k.question)).toEqual([JAR.question, DOG.question]);
    expect(backend.callsOf('checks.save')[0]).toEqual({ storyId: 7, question: DOG.question, answer: DOG.answer });
    await kept.forget(1);
    expect(kept.list.map((k) => k.question)).toEqual([DOG.question]);
    expect(backend.callsOf('checks.forget')).toEqual([{ storyId: 7, checkId: 1 }]);
  });

  it('keeps only the newest answer when requests overlap, and says why one failed', async () => {
    let release!: () => void;
    const backend = withKeptChecks(new FakeBackend(), answer, [JAR]);
    const slowList = backend.on('checks.list', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return [];
    });
    const { kept } = setUp(slowList);
    const load = kept.load();
    await kept.save(DOG.question, DOG.answer);
    release();
    await load;
    expect(kept.list.map((k) => k.id)).toEqual([1, 2]);

    backend.fail('checks.save', 'INVALID_INPUT', 'The question is empty.');
    expect(await kept.save('', 'x')).toBe(false);
    expect(kept.error).toContain('The question is empty.');
  });

  it('puts them all to the story in one request, an entry each in the order kept, and sums up', async () => {
    const backend = withKeptChecks(new FakeBackend(), answer, [JAR, DOG]);
    const { continuity, kept } = setUp(backend);
    await kept.load();
    const run = kept.checkAll();
    expect(continuity.entries.map((e) => [e.question, 'running' in e.result])).toEqual([
      [JAR.question, true],
      [DOG.question, true],
    ]);
    expect(await run).toBe(true);
    expect(backend.callsOf('checks.run')).toEqual([{ storyId: 7 }]);
    expect(continuity.entries.map((e) => e.result)).toEqual([{ check: answer(JAR) }, { check: answer(DOG) }]);
    expect(kept.summary).toBe('2 kept checks at § 12: 1 carried, 1 faded');
  });

  it('stops them all with one Stop, keeping the checks that finished and giving the reason', async () => {
    // The engine reports the first check as it finishes, then works on the second until stopped.
    const backend = withKeptChecks(new FakeBackend(), answer, [JAR, DOG]).on('checks.run', (_params, { emit }) => {
      emit({ kind: 'checked', id: JAR.id, check: answer(JAR) });
      return new Promise(() => undefined);
    });
    const { continuity, kept } = setUp(backend);
    await kept.load();
    const run = kept.checkAll();
    await vi.waitFor(() => expect(backend.callsOf('checks.run')).toHaveLength(1));
    expect(await continuity.run('Other?', 'B', false)).toBe(false);
    continuity.stop();
    expect(await run).toBe(false);
    expect(continuity.running).toBe(false);
    expect(continuity.entries.map((e) => e.result)).toEqual([{ check: answer(JAR) }]);
    expect(kept.summary).toBeNull();
    expect(kept.error).toMatch(/stopped/iu);
  });
});
