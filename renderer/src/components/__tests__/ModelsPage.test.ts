import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelListing } from '../../../../electron/contract/index.js';
import App from '../../App.svelte';
import { FakeBackend } from '../../testing/FakeBackend.js';

const listing: ModelListing = {
  dir: '/home/me/models',
  hardware: { backend: 'cpu', backendName: 'CPU', fallbackReason: 'Vulkan was found but failed to start.', devices: [], vramBytes: null, ramBytes: 16 * 1024 ** 3, threads: 8 },
  catalog: [
    {
      id: 'small',
      name: 'Small Writer',
      uri: 'hf:x/small',
      sizeBytes: 2 * 1024 ** 3,
      quantisation: 'Q4_K_M',
      licence: 'Apache-2.0',
      contextLength: 8192,
      role: 'writer',
      tier: 'cpu',
      minRamGb: 4,
      minVramGb: 0,
      why: 'A good start on any laptop.',
      fit: { verdict: 'fits-cpu', note: 'runs on the CPU' },
      path: null,
      partialBytes: 512 * 1024 ** 2,
    },
  ],
  local: [
    {
      path: '/home/me/models/tiny.gguf',
      fileName: 'tiny.gguf',
      sizeBytes: 1024 ** 2,
      configured: true,
      catalogId: null,
      state: 'ready',
      error: null,
      architecture: 'llama',
      name: 'Tiny',
      trainContextSize: 512,
      fit: { verdict: 'fits-cpu', note: 'runs on the CPU' },
    },
  ],
};

describe('Models page', () => {
  afterEach(() => cleanup());

  it('shows the hardware with the reason for CPU fallback, the files on disk, and resumes a download with progress', async () => {
    window.location.hash = '#/models';
    let release!: () => void;
    const backend = new FakeBackend()
      .on('engine.status', () => ({ version: '1', model: { state: 'configured', path: '/home/me/models/tiny.gguf' }, dbPath: '/db' }))
      .on('models.list', () => listing)
      .on('models.download', async (_request, { emit }) => {
        emit({ kind: 'download', downloadedBytes: 1024 ** 3, totalBytes: 2 * 1024 ** 3, bytesPerSecond: 10 * 1024 ** 2, secondsLeft: 100 });
        await new Promise<void>((resolve) => (release = resolve));
        return { path: '/home/me/models/small.gguf', sizeBytes: 2 * 1024 ** 3, resumedBytes: 512 * 1024 ** 2, alreadyPresent: false, catalogId: 'small', uri: 'hf:x/small' };
      });
    render(App, { props: { backend } });
    expect((await screen.findByTestId('hardware')).textContent).toContain('Not using the GPU: Vulkan was found but failed to start.');
    expect(screen.getByTestId('local-model').textContent).toContain('In use');
    const resume = screen.getByRole('button', { name: 'Resume (512 MB of 2.0 GB here)' });
    await fireEvent.click(resume);
    expect(backend.callsOf('models.download')).toEqual([{ id: 'small' }]);
    expect((await screen.findByTestId('download-progress')).textContent).toMatch(/1\.0 GB of 2\.0 GB · 10\.0 MB\/s · 2 min left/);
    release();
    await waitFor(() => expect(screen.queryByTestId('download-progress')).toBeNull());
    expect(await screen.findByText('Downloaded to /home/me/models/small.gguf.')).toBeTruthy();
  });

  it('says when the embedding model did not load: the top bar and the page name the fallback to keywords and why', async () => {
    window.location.hash = '#/models';
    const why = 'No downloaded model bge-small-en-v1.5: run longtale download bge-small-en-v1.5.';
    const backend = new FakeBackend()
      .on('engine.status', () => ({
        version: '1',
        model: { state: 'configured', path: '/home/me/models/tiny.gguf' },
        dbPath: '/db',
        embeddingModel: 'bge-small-en-v1.5',
        embeddingError: { code: 'MODEL_NOT_FOUND', message: why },
      }))
      .on('models.list', () => listing);
    render(App, { props: { backend } });
    const pill = await screen.findByTestId('embedding-fallback');
    expect(pill.textContent).toBe('Keywords only: why?');
    expect(pill.getAttribute('title')).toBe(why);
    expect(pill.getAttribute('href')).toBe('#/models');
    expect(screen.getByTestId('embedding-error').textContent).toContain(why);
  });
});
