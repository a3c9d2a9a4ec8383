import { describe, expect, it } from 'vitest';
import { CachedEmbedder } from '../../../electron/memory/CachedEmbedder.js';
import { ScriptedEmbedder } from '../../fixtures/ScriptedEmbedder.js';

describe('CachedEmbedder', () => {
  it('embeds each distinct text once, returns vectors in order, and forgets the least recently used', async () => {
    const inner = new ScriptedEmbedder('m');
    const cached = new CachedEmbedder(inner, 2);
    expect([cached.id, cached.dimensions]).toEqual(['m', inner.dimensions]);

    const [a, b, a2] = await cached.embed(['a ship', 'a lamp', 'a ship']);
    expect(inner.embedded).toEqual(['a ship', 'a lamp']);
    expect(a2).toBe(a);
    expect([...b!]).toEqual([...(await inner.embed(['a lamp']))[0]!]);
    inner.embedded.length = 0;

    await cached.embed(['a ship']); // hit: 'a lamp' is now the least recently used
    await cached.embed(['gold']); // over capacity: 'a lamp' goes
    await cached.embed(['a ship', 'a lamp']);
    expect(inner.embedded).toEqual(['gold', 'a lamp']);

    await cached.dispose();
    expect(inner.disposed).toBe(true);
  });
});
