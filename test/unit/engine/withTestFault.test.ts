import { describe, expect, it } from 'vitest';
import { withTestFault } from '../../../electron/engine/withTestFault.js';
import { ScriptedLoader } from '../../fixtures/ScriptedModel.js';

const conversation = (user: string) => ({ system: 'Write.', turns: [{ user, answer: '' }] });

describe('withTestFault (test-only hook)', () => {
  it('returns the loader untouched unless LONGTALE_TEST_FAULT is set', () => {
    const loader = new ScriptedLoader();
    expect(withTestFault(loader, {})).toBe(loader);
    expect(withTestFault(loader, { LONGTALE_TEST_FAULT: ' ' })).toBe(loader);
  });

  it('fails a streamed passage whose prompt has the word, after two pieces; other calls run as before', async () => {
    const loader = withTestFault(new ScriptedLoader(), { LONGTALE_TEST_FAULT: 'KABOOM' });
    await loader.validate('/m.gguf');
    const model = await loader.load('/m.gguf');
    const pieces: string[] = [];
    await expect(
      model.generate(conversation('The hero says KABOOM.'), { maxTokens: 40, onText: (t) => pieces.push(t) }),
    ).rejects.toMatchObject({ code: 'GENERATION_FAILED', message: expect.stringContaining('LONGTALE_TEST_FAULT') });
    expect(pieces).toHaveLength(2);
    const fine = await model.generate(conversation('The hero rests.'), { maxTokens: 40, onText: () => undefined });
    expect(fine.text.length).toBeGreaterThan(0);
  });
});
