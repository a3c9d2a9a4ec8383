import { describe, expect, it } from 'vitest';
import { assemblePrompt } from '../../../electron/memory/assemblePrompt.js';
import { byId, renderedWithout, story } from './promptStory.js';
import { words } from './tokenizers.js';

describe('assemblePrompt with alternatives for the instruction', () => {
  const plans = [['Mira opens the letter.'], ['Mira climbs to the gallery, trims the wick and reads the letter by the lamp as the ship comes.'], ['Mira waits.']];
  const withInstruction = (items: readonly string[]) => story().map((s) => (s.id === 'instruction' ? { ...s, items } : s));
  const before = (text: string) => text.split('## Next')[0];
  const budget = words(renderedWithout(story(), 'related')) - 20;
  const roomFrom = ['related', 'previous'] as const;

  it('fits the rest for the longest, so every alternative gives the same prompt up to its section', () => {
    const results = plans.map((items) => assemblePrompt({ sections: withInstruction(items), budget, countTokens: words, alternatives: { id: 'instruction', items: plans, roomFrom } }));
    for (const [i, result] of results.entries()) {
      expect(before(result.text)).toBe(before(results[1]?.text ?? ''));
      expect(result.text.endsWith(`## Next\n${plans[i]?.[0]}`)).toBe(true);
      expect(result.tokens).toBeLessThanOrEqual(budget);
      expect(byId(result, 'instruction')).toMatchObject({ items: 1, droppedItems: 0, cut: false });
    }
    // The longest gets exactly what it would alone; the others the same prefix, not more of the previous passage.
    expect(results[1]?.text).toBe(assemblePrompt({ sections: withInstruction(plans[1] ?? []), budget, countTokens: words }).text);
    const alone = assemblePrompt({ sections: withInstruction(plans[2] ?? []), budget, countTokens: words });
    expect(before(alone.text)).not.toBe(before(results[2]?.text ?? ''));
  });

  it('takes the room only from the sections named: when the longest would trim another, this prompt is fitted on its own', () => {
    // Just too small for the longest plan without cutting the short-term memory, though the previous passage is gone.
    const tight = words(renderedWithout(story(), 'related', 'previous')) - 2;
    const own = assemblePrompt({ sections: withInstruction(plans[0] ?? []), budget: tight, countTokens: words });
    expect(byId(own, 'shortMemory')).toMatchObject({ cut: false });
    const result = assemblePrompt({ sections: withInstruction(plans[0] ?? []), budget: tight, countTokens: words, alternatives: { id: 'instruction', items: plans, roomFrom } });
    expect(result.text).toBe(own.text);
  });

  it('a section longer than every alternative is fitted as it is', () => {
    const own = ['Mira opens the letter and reads it twice, slowly, by the lamp, then climbs to the gallery to watch the sea for a sail.'];
    const result = assemblePrompt({ sections: withInstruction(own), budget, countTokens: words, alternatives: { id: 'instruction', items: plans, roomFrom } });
    expect(result.text).toBe(assemblePrompt({ sections: withInstruction(own), budget, countTokens: words }).text);
  });

  it('an alternative too long to fit at all leaves this prompt to fit on its own', () => {
    const huge = [['word '.repeat(2000)]];
    const result = assemblePrompt({ sections: withInstruction(plans[0] ?? []), budget, countTokens: words, alternatives: { id: 'instruction', items: huge, roomFrom } });
    expect(result.text).toBe(assemblePrompt({ sections: withInstruction(plans[0] ?? []), budget, countTokens: words }).text);
  });
});
