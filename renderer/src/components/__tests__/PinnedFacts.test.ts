import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { chain, node, view } from '../../testing/fixtures.js';
import { storyBackend } from '../../testing/storyBackend.js';

describe('Pinned facts', () => {
  afterEach(() => cleanup());

  it('pins a fact for the whole story or from the current passage on, and says where each holds', async () => {
    window.location.hash = '#/story/1/write';
    let facts: Fact[] = [
      { id: 1, text: 'The sea is cold.', from: null, applies: true },
      { id: 2, text: 'Tam is dead.', from: { nodeId: 9, position: 2 }, applies: false },
    ];
    const backend = storyBackend(chain(2))
      .on('facts.list', () => facts)
      .on('facts.add', ({ text, fromNodeId }) => {
        const from = fromNodeId === undefined ? null : { nodeId: fromNodeId, position: 2 };
        return (facts = [...facts, { id: facts.length + 1, text, from, applies: true }]);
      })
      .on('stories.step', () => view([...chain(2), node(3, 2)]));
    render(App, { props: { backend } });
    const list = await screen.findByTestId('facts');
    const items = within(list).getAllByRole('listitem');
    expect(items[0]?.querySelector('[data-testid="fact-scope"]')).toBeNull();
    expect(within(items[1]!).getByTestId('fact-scope').textContent).toBe('on another branch (from § 2)');

    await fireEvent.input(screen.getByLabelText('New pinned fact'), { target: { value: 'The lamp is out.' } });
    await fireEvent.click(screen.getByLabelText('Only from § 2 on, on this branch'));
    await fireEvent.click(within(screen.getByRole('region', { name: /Story bible/ })).getByRole('button', { name: 'Pin' }));
    await waitFor(() => expect(backend.callsOf('facts.add')).toEqual([{ storyId: 1, text: 'The lamp is out.', fromNodeId: 2 }]));
    expect(await screen.findByText('from § 2 on')).toBeTruthy();

    // Which facts apply depends on where the story is: read again after it moves.
    const reads = backend.callsOf('facts.list').length;
    await fireEvent.click(screen.getByRole('button', { name: /^Continue/ }));
    await waitFor(() => expect(backend.callsOf('facts.list').length).toBeGreaterThan(reads));
  });
});
