import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { chain, summary, view } from '../../testing/fixtures.js';
import { FakeBackend } from '../../testing/FakeBackend.js';

const STATUS = { version: '0.1.0', model: { state: 'ready', path: '/m.gguf', name: 'm.gguf', contextSize: 512 }, dbPath: '/db' } as const;

describe('Play view heatmap', () => {
  afterEach(() => cleanup());

  it('colours every passage by surprisal when switched on, with each token’s value on focus; off restores the text', async () => {
    window.location.hash = '#/story/1/play';
    const story = chain(2);
    const backend = new FakeBackend()
      .on('engine.status', () => STATUS)
      .on('stories.list', () => [summary(1, story.length)])
      .on('stories.open', () => view(story))
      .on('facts.list', () => [])
      .on('stories.tree', () => story.map((n) => ({ id: n.id, parentId: n.parentId, siblingIndex: n.siblingIndex })))
      .on('nodes.tokens', ({ nodeId }) => ({
        nodeId,
        tokens: [
          { text: 'Passage', surprisal: 1.5 },
          { text: ` ${nodeId}.`, surprisal: 6 },
        ],
        meanSurprisal: 3.75,
      }));
    render(App, { props: { backend } });
    expect(await screen.findAllByTestId('passage')).toHaveLength(2);

    const toggle = screen.getByRole('button', { name: 'Heatmap' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const maps = await screen.findAllByTestId('heatmap');
    expect(maps).toHaveLength(2);
    expect(screen.queryAllByTestId('passage')).toHaveLength(0);
    expect(backend.callsOf('nodes.tokens')).toHaveLength(2);
    expect(maps[1]?.textContent).toBe('Passage 2.');

    await fireEvent.focus(maps[1]!);
    await fireEvent.keyDown(maps[1]!, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getAllByTestId('heat-readout')[1]?.textContent).toMatch(/Token 2 of 2: " 2\."\s*, surprisal\s+6\.00 nats/u));

    await fireEvent.click(toggle);
    expect(await screen.findAllByTestId('passage')).toHaveLength(2);
  });
});
