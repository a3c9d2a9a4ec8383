import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContinuityCheck } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { chain } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
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
