import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/FakeBackend.js';
import { Heatmap, heatStep } from './Heatmap.svelte.js';

describe('Heatmap', () => {
  const tokens = [
    { text: 'The', surprisal: 1 },
    { text: ' sea', surprisal: 4 },
    { text: ' slept', surprisal: 9 },
  ];

  it('loads a passage’s tokens the first time it is shown, and hides it again', async () => {
    const backend = new FakeBackend().on('nodes.tokens', ({ nodeId }) => ({ nodeId, tokens, meanSurprisal: 14 / 3 }));
    const heatmap = new Heatmap(backend, 1);
    await heatmap.toggle(5);
    expect(heatmap.isShown(5)).toBe(true);
    expect(heatmap.heat(5)).toMatchObject({ tokens, hot: 9 });
    await heatmap.toggle(5);
    expect(heatmap.isShown(5)).toBe(false);
    await heatmap.toggle(5);
    expect(backend.callsOf('nodes.tokens')).toEqual([{ storyId: 1, nodeId: 5 }]);
    heatmap.forget(5);
    await heatmap.toggle(5);
    await heatmap.toggle(5);
    expect(backend.callsOf('nodes.tokens')).toHaveLength(2);
  });

  it('Play’s switch colours every passage; each passage’s tokens are read once however often it is asked for', async () => {
    const backend = new FakeBackend().on('nodes.tokens', ({ nodeId }) => ({ nodeId, tokens, meanSurprisal: 14 / 3 }));
    const heatmap = new Heatmap(backend, 1);
    expect(heatmap.inPlay).toBe(false);
    heatmap.toggleInPlay();
    expect(heatmap.inPlay).toBe(true);
    await Promise.all([heatmap.ensure(3), heatmap.ensure(3), heatmap.ensure(4)]);
    await heatmap.ensure(3);
    expect(backend.callsOf('nodes.tokens')).toEqual([
      { storyId: 1, nodeId: 3 },
      { storyId: 1, nodeId: 4 },
    ]);
    expect(heatmap.heat(4)?.tokens).toEqual(tokens);
    // Play's switch leaves Write's per-passage choice alone.
    expect(heatmap.isShown(3)).toBe(false);
    heatmap.toggleInPlay();
    expect(heatmap.inPlay).toBe(false);
  });

  it('says why a heatmap could not be read', async () => {
    const heatmap = new Heatmap(new FakeBackend().fail('nodes.tokens', 'NODE_NOT_FOUND'), 1);
    await heatmap.toggle(2);
    expect(heatmap.error(2)).toBe('That passage does not exist.');
  });

  it('colours from cool (0) to hot (5) relative to the passage’s hot level', () => {
    expect([0, 1, 4.5, 9, 30].map((s) => heatStep(s, 9))).toEqual([0, 1, 3, 5, 5]);
  });

  it('reads the alternatives at a point once, again after a failure or once the passage changed', async () => {
    const candidates = [{ text: ' sky', probability: 0.4 }];
    const backend = new FakeBackend().fail('nodes.alternatives', 'NO_MODEL', 'No model is loaded.');
    const heatmap = new Heatmap(backend, 1);
    expect(heatmap.alternatives(5, 3)).toBeNull();
    await heatmap.loadAlternatives(5, 3);
    expect(heatmap.alternatives(5, 3)).toMatchObject({ error: expect.stringMatching(/model/iu) });

    backend.on('nodes.alternatives', ({ nodeId, offset }) => ({ nodeId, offset, candidates }));
    const loading = heatmap.loadAlternatives(5, 3);
    expect(heatmap.alternatives(5, 3)).toEqual({ loading: true });
    await loading;
    await heatmap.loadAlternatives(5, 3);
    expect(heatmap.alternatives(5, 3)).toEqual({ value: candidates });
    expect(backend.callsOf('nodes.alternatives')).toEqual([
      { storyId: 1, nodeId: 5, offset: 3 },
      { storyId: 1, nodeId: 5, offset: 3 },
    ]);

    heatmap.forget(5);
    expect(heatmap.alternatives(5, 3)).toBeNull();
  });
});
