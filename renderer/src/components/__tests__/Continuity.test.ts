import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContinuityCheck, SavedCheck } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { chain, node, view } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
import { checkResult, withKeptChecks } from '../../testing/keptChecks.js';
import { storyBackend } from '../../testing/storyBackend.js';

function backendWith(check: (points: number) => ContinuityCheck): FakeBackend {
  return storyBackend(chain(6))
    .on('facts.add', ({ text, fromNodeId }) => [{ id: 1, text, from: fromNodeId ? { nodeId: fromNodeId, position: fromNodeId } : null, applies: true }])
    .on('stories.checkContinuity', ({ points }) => check(points ?? 1));
}

const along = (points: number): ContinuityCheck => ({
  question: 'What is in the jar?',
  answer: 'the emerald',
  answerTokens: 3,
  baselineNats: 9,
  points: Array.from({ length: points }, (_, i) => ({ nodeId: i + 1, position: i + 1, nats: i === points - 1 ? 8.6 : 2 })),
  reply: 'an emerald',
});

describe('Continuity tab', () => {
  afterEach(() => cleanup());

  it('asks a question with the expected answer and says whether the story still carries it, along the story too', async () => {
    window.location.hash = '#/story/1/write';
    const backend = backendWith(along);
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Continuity' }));
    await fireEvent.input(screen.getByLabelText('Question'), { target: { value: 'What is in the jar?' } });
    await fireEvent.input(screen.getByLabelText('Expected answer'), { target: { value: 'the emerald' } });
    await fireEvent.click(screen.getByLabelText(/Also at 6 passages/));
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));

    const verdict = await screen.findByTestId('continuity-verdict');
    expect(backend.callsOf('stories.checkContinuity')).toEqual([{ storyId: 1, question: 'What is in the jar?', answer: 'the emerald', points: 6 }]);
    // Remembered at first, barely at the last passage: where the story lost it.
    expect(verdict.textContent).toBe('At § 6 the memory barely changes it (1.5× as likely): the story may have lost this. Pin it as a fact to keep it.');
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent?.replace(/\s+/gu, ' ').trim())).toEqual([
      '§ 1 1,097× as likely',
      '§ 2 1,097× as likely',
      '§ 3 1,097× as likely',
      '§ 4 1,097× as likely',
      '§ 5 1,097× as likely',
      '§ 6 1.5× as likely',
    ]);
    expect(screen.getByText('an emerald')).toBeTruthy();

    // Lost: pin the answer, worded as the author likes, from the passage checked on.
    await fireEvent.click(screen.getByRole('button', { name: 'Pin the answer as a fact…' }));
    const fact = screen.getByLabelText('Fact to pin') as HTMLInputElement;
    expect(fact.value).toBe('What is in the jar? the emerald');
    await fireEvent.input(fact, { target: { value: 'The emerald is in the jar.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Pin' }));
    await waitFor(() => expect(backend.callsOf('facts.add')).toEqual([{ storyId: 1, text: 'The emerald is in the jar.', fromNodeId: 6 }]));
    expect(await screen.findByText('Pinned as a fact: the next passages read it.')).toBeTruthy();

    // Switching tabs keeps the checks of this session.
    await fireEvent.click(screen.getByRole('tab', { name: 'Memory' }));
    await fireEvent.click(screen.getByRole('tab', { name: 'Continuity' }));
    expect(screen.getByTestId('continuity-verdict')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove the check: What is in the jar?' }));
    await waitFor(() => expect(screen.queryByTestId('continuity-checks')).toBeNull());
  });

  it('shows why a check failed', async () => {
    window.location.hash = '#/story/1/write';
    const backend = backendWith(along).fail('stories.checkContinuity', 'GENERATION_FAILED', 'The prompt is too long.');
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Continuity' }));
    await fireEvent.input(screen.getByLabelText('Question'), { target: { value: 'Who?' } });
    await fireEvent.input(screen.getByLabelText('Expected answer'), { target: { value: 'Mara' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The prompt is too long.');
  });
});

describe('Kept continuity checks', () => {
  afterEach(() => cleanup());

  const JAR: SavedCheck = { id: 1, question: 'What is in the jar?', answer: 'the emerald' };
  const DOG: SavedCheck = { id: 2, question: "What is the dog's name?", answer: 'Pip' };
  /** The jar is carried at § 6; the dog's name has faded. */
  const answer = (kept: SavedCheck) => checkResult(kept.question, kept.answer, kept.id === 1 ? 20 : 1.5);

  async function openTab(initial: SavedCheck[], tweak: (backend: FakeBackend) => FakeBackend = (b) => b): Promise<FakeBackend> {
    window.location.hash = '#/story/1/write';
    const backend = tweak(withKeptChecks(backendWith(along), answer, initial));
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Continuity' }));
    return backend;
  }

  const keptList = () => within(screen.getByTestId('kept-checks'));

  it('keeps a check asked with the box ticked, runs it too, and forgets it', async () => {
    const backend = await openTab([]);
    expect(await screen.findByText(/None yet/u)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Question'), { target: { value: ' What is in the jar? ' } });
    await fireEvent.input(screen.getByLabelText('Expected answer'), { target: { value: 'the emerald' } });
    const keep = screen.getByLabelText('Keep this check with the story') as HTMLInputElement;
    expect(keep.checked).toBe(false);
    await fireEvent.click(keep);
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));

    await screen.findByTestId('continuity-verdict');
    expect(backend.callsOf('checks.save')).toEqual([{ storyId: 1, question: 'What is in the jar?', answer: 'the emerald' }]);
    expect(backend.callsOf('stories.checkContinuity')).toHaveLength(1);
    expect(keptList().getByRole('listitem').textContent?.replace(/\s+/gu, ' ').trim()).toMatch(/^What is in the jar\? → expecting the emerald Check Forget$/u);

    await fireEvent.click(keptList().getByRole('button', { name: 'Forget the kept check: What is in the jar?' }));
    await waitFor(() => expect(keptList().queryByRole('listitem')).toBeNull());
    expect(backend.callsOf('checks.forget')).toEqual([{ storyId: 1, checkId: 1 }]);
    // The session's result stays: forgetting only stops keeping it.
    expect(screen.getByTestId('continuity-verdict')).toBeTruthy();
  });

  it('checks one kept check like any other', async () => {
    const backend = await openTab([JAR, DOG]);
    await fireEvent.click(await keptList().findByRole('button', { name: `Check: ${DOG.question}` }));
    await screen.findByTestId('continuity-verdict');
    expect(backend.callsOf('stories.checkContinuity')).toEqual([{ storyId: 1, question: DOG.question, answer: DOG.answer, points: 1 }]);
  });

  it('checks all kept in one request, one result each and a summary', async () => {
    const backend = await openTab([JAR, DOG]);
    await fireEvent.click(await keptList().findByRole('button', { name: 'Check all kept' }));
    await waitFor(() => expect(screen.getByTestId('kept-summary').textContent).toBe('2 kept checks at § 6: 1 carried, 1 faded'));
    expect(backend.callsOf('checks.run')).toEqual([{ storyId: 1 }]);
    expect(backend.callsOf('stories.checkContinuity')).toEqual([]);
    const results = within(screen.getByTestId('continuity-checks')).getAllByRole('listitem');
    expect(results.map((r) => r.querySelector('.q')?.textContent)).toEqual([JAR.question, DOG.question]);
    expect(screen.getAllByTestId('continuity-verdict').map((v) => v.textContent?.slice(0, 40))).toEqual([
      'At § 6 the story still carries it: the a',
      'At § 6 the memory barely changes it (1.5',
    ]);
  });

  it('stops a run of all kept checks with the Stop button', async () => {
    let signal: AbortSignal | undefined;
    const backend = await openTab([JAR, DOG], (b) =>
      b.on('checks.run', (_params, call) => {
        signal = call.signal;
        return new Promise(() => undefined);
      }),
    );
    await fireEvent.click(await keptList().findByRole('button', { name: 'Check all kept' }));
    expect(within(screen.getByTestId('continuity-checks')).getAllByRole('listitem')).toHaveLength(2);
    expect((keptList().getByRole('button', { name: 'Check all kept' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(signal?.aborted).toBe(true);
    expect((await keptList().findByRole('alert')).textContent).toMatch(/stopped/iu);
    expect(screen.queryByTestId('continuity-checks')).toBeNull();
    expect(backend.callsOf('checks.run')).toHaveLength(1);
    expect((keptList().getByRole('button', { name: 'Check all kept' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers the kept checks after an auto-write run, and shows them on the Continuity tab', async () => {
    const backend = await openTab([JAR, DOG], (b) =>
      b.on('stories.auto', (_params, { emit }) => {
        emit({ kind: 'progress', passages: 1, words: 10, targetPassages: 1, targetWords: null, secondsLeft: 0, node: node(7, 6) });
        return view(chain(7));
      }),
    );
    await fireEvent.click(screen.getByRole('tab', { name: 'Auto-write' }));
    expect(screen.queryByRole('button', { name: /kept checks/u })).toBeNull();
    await fireEvent.input(screen.getByLabelText('Write'), { target: { value: '1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Check the 2 kept checks' }));
    expect(screen.getByRole('tab', { name: 'Continuity' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('kept-summary').textContent).toBe('2 kept checks at § 6: 1 carried, 1 faded'));
    expect(backend.callsOf('checks.run')).toHaveLength(1);
  });
});
