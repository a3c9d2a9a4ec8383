import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { chain, node, view } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
import { READY_STATUS as STATUS, storyBackend } from '../../testing/storyBackend.js';

function engineWith(story = chain(2)): FakeBackend {
  return storyBackend(story);
}

describe('App', () => {
  beforeEach(() => {
    window.location.hash = '';
  });
  afterEach(() => cleanup());

  it('lists the stories in the library', async () => {
    render(App, { props: { backend: engineWith() } });
    expect(await screen.findByRole('link', { name: 'The Lighthouse' })).toBeTruthy();
    expect(screen.getByText(/2 passages · 4 words/)).toBeTruthy();
  });

  it('asks for a model when none is set', async () => {
    const backend = engineWith().on('engine.status', () => ({ ...STATUS, model: { state: 'none' as const } }));
    render(App, { props: { backend } });
    expect(await screen.findByRole('heading', { name: 'Choose a model' })).toBeTruthy();
  });

  it('plays a choice: the passage streams in, then joins the story', async () => {
    window.location.hash = '#/story/1/play';
    const backend = engineWith();
    let release!: () => void;
    backend.on('stories.step', async (_params, { emit }) => {
      emit({ kind: 'phase', phase: 'writing' });
      emit({ kind: 'token', text: 'The door opened. ' });
      await new Promise<void>((resolve) => (release = resolve));
      return view([...chain(2), node(3, 2, { passage: 'The door opened. Wind came in.' })]);
    });
    render(App, { props: { backend } });
    const choices = await screen.findAllByRole('button', { name: /Go \d/ });
    expect(choices).toHaveLength(3);
    await fireEvent.click(choices[1]!);
    expect(backend.callsOf('stories.step')).toMatchObject([{ storyId: 1, input: { choice: 2 } }]);
    // Streamed text is shown on the next animation frame.
    await waitFor(() => expect(screen.getByTestId('streaming-passage').textContent).toContain('The door opened.'));
    expect(screen.getByTestId('live-region').textContent).toBe('The door opened.');
    expect(screen.getByRole('button', { name: /Stop/ })).toBeTruthy();
    release();
    await waitFor(() => expect(screen.getAllByTestId('passage')).toHaveLength(3));
    expect(screen.queryByTestId('streaming')).toBeNull();
  });

  it('plays what the reader says, switched from Do to Say by keyboard, quoted', async () => {
    window.location.hash = '#/story/1/play';
    const backend = engineWith().on('stories.step', () => view([...chain(2), node(3, 2, { passage: 'Nobody answered.' })]));
    render(App, { props: { backend } });
    const say = (await screen.findByRole('radio', { name: 'Say' })) as HTMLInputElement;
    expect((screen.getByRole('radio', { name: 'Do' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(say);
    expect(screen.getByLabelText('Or say something')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Or say something'), { target: { value: 'Who goes there?' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Say it' }));
    await waitFor(() => expect(backend.callsOf('stories.step')).toMatchObject([{ storyId: 1, input: { action: 'I say, “Who goes there?”' } }]));
  });

  it('shows an engine error mid-stream and keeps the story as it was', async () => {
    window.location.hash = '#/story/1/play';
    const backend = engineWith().on('stories.step', async (_params, { emit }) => {
      emit({ kind: 'token', text: 'Half a sen' });
      throw Object.assign(new Error('x'), { code: 'GENERATION_FAILED', message: 'Out of memory.' });
    });
    render(App, { props: { backend } });
    await fireEvent.click((await screen.findAllByRole('button', { name: /Go \d/ }))[0]!);
    expect((await screen.findByRole('alert')).textContent).toContain('The model failed while writing. Out of memory.');
    expect(screen.getAllByTestId('passage')).toHaveLength(2);
  });

  it('edits the short-term memory of the current passage', async () => {
    window.location.hash = '#/story/1/write';
    const backend = engineWith().on('nodes.editMemory', ({ shortMemory }) => view([chain(1)[0]!, node(2, 1, { shortMemory })]));
    render(App, { props: { backend } });
    const memory = (await screen.findByTestId('short-memory')) as HTMLTextAreaElement;
    await waitFor(() => expect(memory.value).toBe('memory 2'));
    await fireEvent.input(memory, { target: { value: 'The key is under the mat.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save memory' }));
    expect(backend.callsOf('nodes.editMemory')).toMatchObject([{ storyId: 1, nodeId: 2, shortMemory: 'The key is under the mat.' }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save memory' })).toHaveProperty('disabled', true));
  });

  it('shows what the current passage changed in the short-term memory, and can put the memory from before back', async () => {
    window.location.hash = '#/story/1/write';
    const story = [node(1, null, { shortMemory: 'Mara has the key. The boat is gone.' }), node(2, 1, { shortMemory: 'Mara has the letter. The boat is gone.' })];
    const backend = engineWith(story).on('nodes.editMemory', ({ shortMemory }) => view([story[0]!, { ...story[1]!, shortMemory: shortMemory ?? '' }]));
    render(App, { props: { backend } });
    const diff = await screen.findByTestId('memory-diff');
    expect(within(diff).getByText('What § 2 changed')).toBeTruthy();
    expect(diff.querySelector('del')?.textContent).toBe('removed:\u00a0key. ');
    expect(diff.querySelector('ins')?.textContent).toBe('added:\u00a0letter. ');

    await fireEvent.click(within(diff).getByRole('button', { name: 'Use the memory from before § 2' }));
    const memory = screen.getByTestId('short-memory') as HTMLTextAreaElement;
    await waitFor(() => expect(memory.value).toBe('Mara has the key. The boat is gone.'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save memory' }));
    expect(backend.callsOf('nodes.editMemory')).toMatchObject([{ nodeId: 2, shortMemory: 'Mara has the key. The boat is gone.' }]);
    // Once saved, the passage changed nothing: there is no diff to show.
    await waitFor(() => expect(screen.queryByTestId('memory-diff')).toBeNull());
  });

  it('says when the engine connection is lost, and reads the story again when it is back', async () => {
    window.location.hash = '#/story/1/play';
    const backend = engineWith();
    render(App, { props: { backend } });
    await screen.findAllByTestId('passage');
    backend.setConnection('connecting');
    expect((await screen.findByTestId('connection-banner')).textContent).toMatch(/Reconnecting/);
    const opens = backend.callsOf('stories.open').length;
    backend.setConnection('open');
    await waitFor(() => expect(screen.queryByTestId('connection-banner')).toBeNull());
    await waitFor(() => expect(backend.callsOf('stories.open').length).toBeGreaterThan(opens));
    // Once back, a notice says so (an engine restart is otherwise invisible) until dismissed.
    const notice = screen.getByTestId('reconnected-notice');
    expect(notice.textContent).toMatch(/stories are intact/);
    await fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('reconnected-notice')).toBeNull());
  });

  it('continues with Ctrl+Enter and retries with Alt+R in the manuscript', async () => {
    window.location.hash = '#/story/1/write';
    const backend = engineWith()
      .on('stories.step', () => view([...chain(2), node(3, 2)]))
      .on('stories.retry', () => view([...chain(2), node(4, 2, { siblingIndex: 1, siblingCount: 2 })]));
    render(App, { props: { backend } });
    await screen.findAllByTestId('manuscript-passage');
    await fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(backend.callsOf('stories.step')).toMatchObject([{ storyId: 1, input: { choice: 1 } }]);
    await waitFor(() => expect(screen.getAllByTestId('manuscript-passage')).toHaveLength(3));
    await fireEvent.keyDown(window, { key: 'r', code: 'KeyR', altKey: true });
    await waitFor(() => expect(screen.getByTestId('sibling-position').textContent).toBe('2/2'));
  });
});
