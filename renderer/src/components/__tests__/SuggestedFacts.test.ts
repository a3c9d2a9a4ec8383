import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact, FactSuggestion } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { chain } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
import { storyBackend } from '../../testing/storyBackend.js';

const OSKAR: FactSuggestion = { name: 'Oskar', text: 'Then Mara met Oskar on the quay.', passages: 3, nodeId: 1, surprisal: 7.25 };
const ZEPPO: FactSuggestion = { name: 'Zeppo', text: 'A letter came for Zeppo.', passages: 2, nodeId: 2, surprisal: null };

/** The Write view of a two-passage story whose engine suggests what is in no fact yet (by name, as the engine does). */
function backendWith(suggestions: FactSuggestion[]): { backend: FakeBackend; facts: () => Fact[] } {
  let facts: Fact[] = [];
  const backend = storyBackend(chain(2))
    .on('prompt.preview', () => ({ text: '', tokens: 0, budget: 100, sections: [] }))
    .on('facts.list', () => facts)
    .on('facts.add', ({ text, fromNodeId }) => (facts = [...facts, { id: facts.length + 1, text, from: fromNodeId ? { nodeId: fromNodeId, position: fromNodeId } : null, applies: true }]))
    .on('facts.suggest', () => suggestions.filter((s) => !facts.some((f) => f.text.includes(s.name))));
  return { backend, facts: () => facts };
}

describe('Suggested facts', () => {
  afterEach(() => cleanup());

  it('offers recurring names with the line that brought them in; Pin adds that line and the name goes', async () => {
    window.location.hash = '#/story/1/write';
    const { backend, facts } = backendWith([OSKAR, ZEPPO]);
    render(App, { props: { backend } });
    const list = await screen.findByTestId('fact-suggestions');
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent)).toEqual(['Oskar', 'Zeppo']);
    expect(within(list).getByText('in 3 passages').getAttribute('title')).toBe('Passages of this path that name it, 7.3 nats of surprise where it first appeared');

    await fireEvent.click(within(list).getByRole('button', { name: `Pin as a fact: ${OSKAR.text}` }));
    // From the passage that brought the name in.
    await waitFor(() => expect(facts()).toEqual([{ id: 1, text: OSKAR.text, from: { nodeId: 1, position: 1 }, applies: true }]));
    // The facts changed, so the suggestions are read again: Oskar is in a fact now.
    await waitFor(() => expect(within(screen.getByTestId('fact-suggestions')).queryByText('Oskar')).toBeNull());
    expect(within(screen.getByTestId('facts')).getByText(OSKAR.text)).toBeTruthy();
  });

  it('rewords a suggestion before pinning it, and "Not now" hides one without pinning', async () => {
    window.location.hash = '#/story/1/write';
    const { backend, facts } = backendWith([OSKAR, ZEPPO]);
    render(App, { props: { backend } });
    const list = await screen.findByTestId('fact-suggestions');
    await fireEvent.click(within(list).getByRole('button', { name: 'Not now: Zeppo' }));
    expect(within(list).queryByText('Zeppo')).toBeNull();

    await fireEvent.click(within(list).getByRole('button', { name: `Reword, then pin: ${OSKAR.text}` }));
    const input = within(list).getByLabelText('Fact about Oskar') as HTMLInputElement;
    expect(input.value).toBe(OSKAR.text);
    await fireEvent.input(input, { target: { value: 'Oskar is the harbour master.' } });
    await fireEvent.click(within(list).getByRole('button', { name: 'Pin' }));
    await waitFor(() => expect(facts()).toEqual([{ id: 1, text: 'Oskar is the harbour master.', from: { nodeId: 1, position: 1 }, applies: true }]));
    expect(backend.callsOf('facts.add')).toHaveLength(1);
    // Nothing left to suggest: the section goes.
    await waitFor(() => expect(screen.queryByTestId('fact-suggestions')).toBeNull());
  });

  it('says why suggestions could not be read', async () => {
    window.location.hash = '#/story/1/write';
    const { backend } = backendWith([]);
    backend.fail('facts.suggest', 'STORY_NOT_FOUND', 'Story 1 is gone.');
    render(App, { props: { backend } });
    expect(await screen.findByText(/Story 1 is gone\./)).toBeTruthy();
  });
});
