import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoryNode } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { chain, node, view } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
import { storyBackend } from '../../testing/storyBackend.js';

/** The story `story` in Play, each passage scored as two tokens: "Passage" and " <id>.". */
function playBackend(story: StoryNode[]): FakeBackend {
  return storyBackend(story).on('nodes.tokens', ({ nodeId }) => ({
      nodeId,
      tokens: [
        { text: 'Passage', surprisal: 1.5 },
        { text: ` ${nodeId}.`, surprisal: 6 },
      ],
      meanSurprisal: 3.75,
    }));
}

describe('Play view heatmap', () => {
  afterEach(() => cleanup());

  it('colours every passage by surprisal when switched on, with each token’s value on focus; off restores the text', async () => {
    window.location.hash = '#/story/1/play';
    const story = chain(2);
    const backend = playBackend(story);
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

  it('opens a token’s alternatives with Enter, and writes a new version from the one chosen', async () => {
    window.location.hash = '#/story/1/play';
    const story = chain(2);
    const rewritten = node(3, 1, { passage: 'Passage 3, anew.', siblingIndex: 1, siblingCount: 2 });
    const backend = playBackend(story)
      .on('nodes.alternatives', ({ nodeId, offset }) => ({
        nodeId,
        offset,
        candidates: [
          { text: ' 3,', probability: 0.6 },
          { text: ' 2.', probability: 0.0025 },
        ],
      }))
      .on('nodes.rewriteFrom', () => view([story[0]!, rewritten]));
    render(App, { props: { backend } });
    await screen.findAllByTestId('passage');
    await fireEvent.click(screen.getByRole('button', { name: 'Heatmap' }));
    const maps = await screen.findAllByTestId('heatmap');

    // The first passage shows its alternatives too, but the opening wrote it: nothing to write again from.
    await fireEvent.focus(maps[0]!);
    await fireEvent.keyDown(maps[0]!, { key: 'Enter' });
    const first = await screen.findByTestId('alternatives');
    await waitFor(() => expect(within(first).getAllByTestId('alternative')).toHaveLength(2));
    expect(backend.callsOf('nodes.alternatives')).toEqual([{ storyId: 1, nodeId: 1, offset: 0 }]);
    expect(within(first).queryAllByRole('button').map((b) => b.textContent)).toEqual(['Close']);
    expect(first.textContent).toContain('start a new story from the premise');
    await fireEvent.keyDown(maps[0]!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('alternatives')).toBeNull());

    await fireEvent.focus(maps[1]!);
    await fireEvent.keyDown(maps[1]!, { key: 'ArrowRight' });
    await fireEvent.keyDown(maps[1]!, { key: 'Enter' });
    const offered = await screen.findAllByTestId('alternative');
    expect(backend.callsOf('nodes.alternatives').at(-1)).toEqual({ storyId: 1, nodeId: 2, offset: 7 });
    expect(offered.map((b) => b.textContent?.replace(/\s+/gu, ' ').trim())).toEqual(['" 3," 60%', '" 2." 0.3% written']);

    await fireEvent.click(offered[0]!);
    await waitFor(() => expect(backend.callsOf('nodes.rewriteFrom')).toMatchObject([{ storyId: 1, nodeId: 2, offset: 7, text: ' 3,' }]));
    await waitFor(() => expect(screen.queryByTestId('alternatives')).toBeNull());
  });

  it('asks for alternatives only once nothing is being written', async () => {
    window.location.hash = '#/story/1/play';
    const story = chain(2);
    let finish: () => void = () => undefined;
    const backend = playBackend(story)
      .on('stories.step', () => new Promise((resolve) => (finish = () => resolve(view([...story, node(3, 2)])))))
      .on('nodes.alternatives', ({ nodeId, offset }) => ({ nodeId, offset, candidates: [{ text: ' 3,', probability: 0.6 }] }));
    render(App, { props: { backend } });
    await fireEvent.click((await screen.findAllByRole('button', { name: /Go 1/ }))[0]!);
    await fireEvent.click(screen.getByRole('button', { name: 'Heatmap' }));
    const map = (await screen.findAllByTestId('heatmap'))[1]!;
    await fireEvent.focus(map);
    await fireEvent.keyDown(map, { key: 'Enter' });
    expect((await screen.findByTestId('alternatives')).textContent).toContain('Shown once the writing stops.');
    expect(backend.callsOf('nodes.alternatives')).toEqual([]);

    finish();
    expect(await screen.findAllByTestId('alternative')).toHaveLength(1);
    expect(backend.callsOf('nodes.alternatives')).toEqual([{ storyId: 1, nodeId: 2, offset: 0 }]);
  });

  it('shows what the model read for a passage, read again each time it is opened', async () => {
    window.location.hash = '#/story/1/play';
    const story = chain(2);
    const prompt = {
      text: '## Story\nTitle: The Lighthouse\n\n## What happens next\nplan 1.1',
      tokens: 12,
      budget: 400,
      sections: [
        { id: 'bible', title: 'Story', tokens: 6, droppedItems: 0, cut: false },
        { id: 'related', title: 'Earlier passages', tokens: 0, droppedItems: 2, cut: false },
        { id: 'instruction', title: 'What happens next', tokens: 6, droppedItems: 0, cut: false },
      ],
    };
    const backend = playBackend(story).on('prompt.writtenFrom', () => prompt);
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Heatmap' }));
    await screen.findAllByTestId('heatmap');
    // Every passage, the first (written by the opening) too.
    const panels = await screen.findAllByTestId('written-from');
    expect(panels).toHaveLength(2);

    const details = panels[1] as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    const sections = await screen.findByTestId('prompt-sections');
    expect(sections.textContent).toContain('Earlier passages');
    expect(sections.textContent).toContain('2 items left out.');
    expect(screen.getByTestId('prompt-text').textContent).toBe(prompt.text);
    expect(backend.callsOf('prompt.writtenFrom')).toEqual([{ storyId: 1, nodeId: 2 }]);

    details.open = false;
    await fireEvent(details, new Event('toggle'));
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    await waitFor(() => expect(backend.callsOf('prompt.writtenFrom')).toHaveLength(2));
  });
});
