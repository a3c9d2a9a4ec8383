import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LongtaleError } from '../../../electron/contract/index.js';
import { assemblePrompt } from '../../../electron/memory/assemblePrompt.js';
import type { PromptSection, SectionId } from '../../../electron/memory/PromptSection.js';
import { PromptTooLargeError } from '../../../electron/memory/PromptTooLargeError.js';
import { renderSections } from '../../../electron/memory/renderSections.js';
import { sectionPolicy } from '../../../electron/memory/sectionPolicy.js';
import { charsOver4, countingTokenizer, jittery, words, wordsPlusNewlines } from './tokenizers.js';

function section(id: SectionId, title: string, items: string[], overrides: Partial<PromptSection> = {}): PromptSection {
  return { id, title, items, ...sectionPolicy[id], ...overrides };
}

const previousSentences = Array.from(
  { length: 12 },
  (_, i) => `Sentence ${i} tells of the storm and the lamp and the long night${i % 3 === 0 ? '!' : '.'}`,
);
const shortSentences = ['Mira found a letter.', 'She has not opened it.', 'The storm is coming.', 'Her lamp is low.'];

/** A step prompt in the design's order: style, bible, key memory, short memory, related, previous, instruction. */
function story(): PromptSection[] {
  return [
    section('style', 'Style', ['Past tense, third person, close on Mira.']),
    section('bible', 'Story bible', ['Mira keeps the lighthouse on Skerry Rock.', 'The sea took her brother Tam.']),
    section('keyMemory', 'Remember', [
      'The lamp oil is running out.',
      'A ship was sighted at dusk.',
      'Gulls nest under the gallery.',
    ]),
    section('shortMemory', 'So far', [shortSentences.join(' ')]),
    section('related', 'Earlier', [
      'Tam taught her to trim the wick.',
      'The supply boat is late again.',
      'Mira once saw a seal.',
    ]),
    section('previous', 'Story so far', [previousSentences.join(' ')]),
    section('instruction', 'Next', ['Mira opens the letter by the lamp.']),
  ];
}

/** The sections with the listed ones emptied, rendered: what the prompt looks like after those are trimmed away. */
function renderedWithout(sections: PromptSection[], ...ids: SectionId[]): string {
  return renderSections(sections.map((s) => (ids.includes(s.id) ? { ...s, items: [] } : s)));
}

function byId(result: ReturnType<typeof assemblePrompt>, id: SectionId) {
  const found = result.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

describe('assemblePrompt', () => {
  it('renders everything untouched when it fits, counting the text once and each section once when its count is read', () => {
    const sections = story();
    const tokenizer = countingTokenizer(words);
    const result = assemblePrompt({ sections, budget: 10_000, countTokens: tokenizer.count });
    expect(tokenizer.calls).toBe(1);

    expect(result.text).toBe(renderSections(sections));
    expect(result.tokens).toBe(words(result.text));
    expect(result.sections.map((s) => [s.id, s.items, s.droppedItems, s.cut])).toEqual(
      sections.map((s) => [s.id, s.items.length, 0, false]),
    );
    for (const s of sections) expect(byId(result, s.id).tokens).toBe(words(renderSections([s])));
    expect(tokenizer.calls).toBe(1 + sections.length);
  });

  it('1. drops related passages first, least relevant (last) first', () => {
    const sections = story();
    const budget = words(renderSections(sections)) - 1;
    const result = assemblePrompt({ sections, budget, countTokens: words });

    expect(byId(result, 'related')).toMatchObject({ items: 2, droppedItems: 1, cut: false });
    expect(result.text).toBe(
      renderSections(sections.map((s) => (s.id === 'related' ? { ...s, items: s.items.slice(0, 2) } : s))),
    );
    expect(result.tokens).toBeLessThanOrEqual(budget);
  });

  it('2. then cuts the previous passage from its beginning, at a sentence, marked with "…"', () => {
    const sections = story();
    const budget = words(renderedWithout(sections, 'related')) - 20;
    const result = assemblePrompt({ sections, budget, countTokens: words });

    expect(byId(result, 'related')).toMatchObject({ items: 0, droppedItems: 3 });
    expect(byId(result, 'keyMemory')).toMatchObject({ items: 3, droppedItems: 0 });
    expect(byId(result, 'previous')).toMatchObject({ items: 1, droppedItems: 0, cut: true });
    expect(result.text).toContain(`## So far\n${shortSentences.join(' ')}`);
    // The most recent sentences survive: the fewest sentences dropped that fit the budget.
    const kept = Array.from({ length: previousSentences.length }, (_, k) => previousSentences.slice(k).join(' '));
    const withTail = (tail: string) => renderedWithout(sections, 'related').replace(previousSentences.join(' '), `…${tail}`);
    const fitting = kept.findIndex((tail) => words(withTail(tail)) <= budget);
    expect(fitting).toBeGreaterThan(0);
    expect(result.text).toContain(`## Story so far\n…${kept[fitting]}\n\n## Next`);
    expect(result.tokens).toBeLessThanOrEqual(budget);
  });

  it('3. then drops key-memory entries from the end (the memory keeps to its own budget before that)', () => {
    const sections = story();
    const budget = words(renderedWithout(sections, 'related', 'previous')) - 1;
    const result = assemblePrompt({ sections, budget, countTokens: words });

    expect(byId(result, 'previous')).toMatchObject({ items: 0, droppedItems: 1, cut: false });
    expect(byId(result, 'keyMemory')).toMatchObject({ items: 2, droppedItems: 1, cut: false });
    expect(result.text).not.toContain('## Earlier');
    expect(result.text).toContain('The lamp oil is running out.\n\nA ship was sighted at dusk.');
    expect(result.text).not.toContain('Gulls nest');
    expect(result.text).toContain(`## So far\n${shortSentences.join(' ')}`);
  });

  it('4. then cuts the short-term memory from its beginning', () => {
    const sections = story();
    const budget = words(renderedWithout(sections, 'related', 'keyMemory', 'previous')) - 5;
    const result = assemblePrompt({ sections, budget, countTokens: words });

    expect(byId(result, 'previous')).toMatchObject({ items: 0, droppedItems: 1, cut: false });
    expect(byId(result, 'shortMemory')).toMatchObject({ items: 1, droppedItems: 0, cut: true });
    expect(result.text).toContain('## So far\n…The storm is coming. Her lamp is low.\n\n## Next');
    expect(result.text).not.toContain('## Story so far');
    // The tightest word cut was "…has not opened it."; the sentence start after it costs only four words.
    expect(result.tokens).toBe(budget - 4);
  });

  it('keeps the never sections verbatim when everything else has to go', () => {
    const sections = story();
    const neverOnly = renderSections(sections.filter((s) => s.trim === 'never'));
    const result = assemblePrompt({ sections, budget: words(neverOnly), countTokens: words });

    expect(result.text).toBe(neverOnly);
    for (const s of sections.filter((s) => s.trim === 'never')) {
      expect(result.text).toContain(renderSections([s]));
      expect(byId(result, s.id)).toMatchObject({ items: s.items.length, droppedItems: 0, cut: false });
    }
    expect(result.sections.filter((s) => s.items === 0).map((s) => s.id)).toEqual([
      'keyMemory',
      'shortMemory',
      'related',
      'previous',
    ]);
  });

  it('throws PromptTooLargeError with what was needed when the never sections alone exceed the budget', () => {
    const sections = story();
    const needed = words(renderSections(sections.filter((s) => s.trim === 'never')));
    const attempt = () => assemblePrompt({ sections, budget: needed - 1, countTokens: words });

    expect(attempt).toThrow(PromptTooLargeError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(LongtaleError);
      expect(error).toMatchObject({ name: 'PromptTooLargeError', needed, budget: needed - 1, code: 'INVALID_INPUT' });
    }
  });

  describe('with alternatives for the instruction', () => {
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

  it('rejects a budget that is negative or not a number', () => {
    for (const budget of [-1, Number.NaN]) {
      expect(() => assemblePrompt({ sections: story(), budget, countTokens: words })).toThrow(RangeError);
    }
  });

  it('follows the priorities it is given, not the section order', () => {
    const sections = story().map((s) => (s.id === 'previous' ? { ...s, priority: 1 } : s));
    const result = assemblePrompt({ sections, budget: words(renderSections(sections)) - 1, countTokens: words });

    expect(byId(result, 'previous').cut).toBe(true);
    expect(byId(result, 'related')).toMatchObject({ items: 3, droppedItems: 0 });
  });

  it('omits empty and blank sections entirely, heading and all', () => {
    const sections = [
      section('style', 'Style', ['Terse.']),
      section('related', 'Earlier', []),
      section('keyMemory', 'Remember', ['  ', '']),
      section('instruction', 'Next', ['Go on.']),
    ];
    const result = assemblePrompt({ sections, budget: 100, countTokens: words });

    expect(result.text).toBe('## Style\nTerse.\n\n## Next\nGo on.');
    expect(byId(result, 'keyMemory')).toMatchObject({ tokens: 0, items: 0, droppedItems: 0 });
  });

  it('cuts at a word start when the nearest sentence start is too far away', () => {
    const run = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const sections = [section('style', 'Style', ['Terse.']), section('previous', 'Before', [`Opening line. ${run}`])];
    const budget = 103;
    const result = assemblePrompt({ sections, budget, countTokens: words });

    // "## Style" "Terse." "## Before" take 5 words; the rest is the tightest tail of the run.
    expect(result.text).toBe(`## Style\nTerse.\n\n## Before\n…${run.split(' ').slice(-98).join(' ')}`);
    expect(result.tokens).toBe(budget);
  });

  it('gives up a little text to start at a sentence, but not more than half of what it keeps', () => {
    const tail = 'She ran to the stair. The lamp was out. Tam was not there at all.';
    const text = `${'Long ago and far away '.repeat(20)}the keeper slept. ${tail}`;
    const sections = [section('previous', 'Before', [text])];
    const budget = words(`## Before\n…${tail}`) + 3; // room for three more words than the clean tail
    const result = assemblePrompt({ sections, budget, countTokens: words });
    expect(result.text).toBe(`## Before\n…${tail}`);

    // With room for two words of text, no sentence start is left to move to: keep the words.
    const tiny = assemblePrompt({ sections, budget: 4, countTokens: words });
    expect(tiny.text).toBe('## Before\n…at all.');

    // Moving on to "Go." would give up more than half of the text that fits: stay at the word.
    const fragment = 'was very low and flickering in the wind. Go.';
    const windy = [section('previous', 'Before', [`Long ago the lamp ${fragment}`])];
    const roomy = assemblePrompt({ sections: windy, budget: words(`## Before\n…${fragment}`), countTokens: words });
    expect(roomy.text).toBe(`## Before\n…${fragment}`);
  });

  it('cuts across several passages, dropping the older ones whole', () => {
    const older = 'The first night was calm. Nothing moved on the water.';
    const newer = 'The second night the bell rang. Someone was on the rocks. Mira took the lamp.';
    const sections = [section('previous', 'Before', [older, newer])];
    const expected = '## Before\n…Someone was on the rocks. Mira took the lamp.';
    const result = assemblePrompt({ sections, budget: words(expected), countTokens: words });

    expect(result.text).toBe(expected);
    expect(byId(result, 'previous')).toMatchObject({ items: 1, droppedItems: 1, cut: true });
  });

  it('cuts Chinese and Japanese text between characters without splitting surrogate pairs', () => {
    const chinese = '他走进了房间。看见一只猫。「你好！」她说。𠀀𠀁𠀂风很大。'.repeat(40);
    const chars = (text: string) => text.length;
    for (const budget of [51, 52, 53, 200, 201]) {
      const sections = [section('previous', '前文', [chinese])];
      const result = assemblePrompt({ sections, budget, countTokens: chars });
      expect(result.tokens).toBeLessThanOrEqual(budget);
      expect(result.text).toMatch(/^## 前文\n…[^\p{P}]/u);
      expect(result.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(chinese.endsWith(result.text.slice('## 前文\n…'.length))).toBe(true);
    }
  });

  it('stays within a bounded number of countTokens calls for a 100 kB section', () => {
    const sentence = (i: number) => `Sentence ${i} goes on about the weather and the sea.`;
    const huge = Array.from({ length: 2000 }, (_, i) => sentence(i)).join(' ');
    expect(huge.length).toBeGreaterThan(100_000);
    const sections = story().map((s) => {
      if (s.id === 'previous') return { ...s, items: [huge] };
      if (s.id === 'related') return { ...s, items: Array.from({ length: 50 }, (_, i) => `Related passage ${i}.`) };
      return s;
    });
    let wholeCalls = 0;
    const tokenizer = countingTokenizer((text) => {
      // Whole prompts start with the first section and end with the instruction; a section alone does not.
      if (text.startsWith('## Style\n') && text.includes('## Next\n')) wholeCalls += 1;
      return Math.ceil(text.length / 4);
    });
    const result = assemblePrompt({ sections, budget: 1000, countTokens: tokenizer.count });

    expect(result.tokens).toBeLessThanOrEqual(1000);
    expect(byId(result, 'previous').cut).toBe(true);
    const wordStarts = huge.split(' ').length;
    // whole + never-only + one "empty" check per trimmable section + the section alone whole and its binary search
    // + the guess checked whole (two, a few more when it is off) + a sentence check + per section
    const bound = 2 + 4 + 1 + Math.ceil(Math.log2(wordStarts + 1)) + 4 + 1 + sections.length;
    expect(tokenizer.calls).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(40);
    // The search itself runs on the section alone: whole prompts are counted only a handful of times.
    expect(wholeCalls).toBeLessThanOrEqual(2 + 4 + 4 + 1);
  });
});

describe('assemblePrompt (property)', () => {
  const ids = Object.keys(sectionPolicy) as SectionId[];
  const tokenizers = { words, charsOver4, wordsPlusNewlines, jittery };
  const unspacedOrSpaceAtEnd =
    /(\s|[\p{sc=Han}\p{sc=Hira}\p{sc=Kana}\p{sc=Thai}\p{sc=Laoo}\p{sc=Khmr}\p{sc=Mymr}\u3000-\u303f\uff00-\uffef])$/u;
  /** Titles no item can contain (items never hold "§"), so headings can be found in the text. */
  const title = (id: SectionId) => `§${id}§`;

  const prose = fc
    .array(fc.constantFrom(...'the Sea Mira lamp. night! "Go." é 🐉 漢字。 走れ'.split(' '), '\n', '\n\n', '  '), {
      maxLength: 60,
    })
    .map((parts) => parts.join(' '));
  const item = fc.oneof(
    { arbitrary: prose, weight: 5 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((t) => t.replaceAll('§', '')), weight: 2 },
    { arbitrary: fc.constantFrom('', '   '), weight: 1 },
    // Huge: one section far over any budget.
    { arbitrary: fc.tuple(prose, fc.integer({ min: 50, max: 400 })).map(([t, k]) => `${t} `.repeat(k)), weight: 1 },
  );
  const sectionsArb = fc
    .tuple(...ids.map(() => fc.tuple(fc.array(item, { maxLength: 5 }), fc.option(fc.integer({ min: 0, max: 50 })))))
    .map((specs) =>
      specs.map(([items, priority], i): PromptSection => {
        const id = ids[i] as SectionId;
        return section(id, title(id), items, priority === null ? {} : { priority });
      }),
    );
  // Mostly budgets between "never sections only" and "everything", where the trimming happens; some absolute ones.
  const budgetArb = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => ({ absolute: n })), weight: 1 },
    { arbitrary: fc.integer({ min: -50, max: 1100 }).map((n) => ({ share: n / 1000 })), weight: 4 },
  );

  it('never exceeds the budget, keeps never sections verbatim and keeps the order', () => {
    fc.assert(
      fc.property(sectionsArb, fc.constantFrom(...Object.keys(tokenizers)), budgetArb, (sections, name, budgetSpec) => {
        const countTokens = tokenizers[name as keyof typeof tokenizers];
        const never = sections.filter((s) => s.trim === 'never');
        const needed = countTokens(renderSections(never));
        const all = countTokens(renderSections(sections));
        const budget =
          'absolute' in budgetSpec
            ? budgetSpec.absolute
            : Math.max(0, Math.floor(needed + budgetSpec.share * (all - needed)));

        if (needed > budget) {
          expect(() => assemblePrompt({ sections, budget, countTokens })).toThrow(
            expect.objectContaining({ name: 'PromptTooLargeError', needed, budget }),
          );
          return;
        }
        const result = assemblePrompt({ sections, budget, countTokens });

        expect(countTokens(result.text)).toBeLessThanOrEqual(budget);
        expect(result.tokens).toBe(countTokens(result.text));
        for (const s of never) expect(result.text).toContain(renderSections([s]));

        // Headings appear once each, for exactly the sections that kept something, in input order.
        const headings = [...result.text.matchAll(/^## (§\w+§)$/gmu)].map((m) => m[1]);
        expect(headings).toEqual(result.sections.filter((s) => s.items > 0).map((s) => title(s.id)));

        sections.forEach((s, i) => {
          const report = result.sections[i];
          expect(report?.id).toBe(s.id);
          const nonBlank = s.items.filter((t) => t.trim() !== '').length;
          expect((report?.items ?? 0) + (report?.droppedItems ?? 0)).toBe(nonBlank);
        });

        // A section is only trimmed once every trimmable section below it is empty.
        const order = sections
          .map((s, i) => ({ s, i }))
          .filter(({ s }) => s.trim !== 'never')
          .sort((a, b) => a.s.priority - b.s.priority || a.i - b.i);
        order.forEach(({ i }, rank) => {
          const report = result.sections[i];
          if (!report || (report.droppedItems === 0 && !report.cut)) return;
          for (const { i: lower } of order.slice(0, rank)) expect(result.sections[lower]?.items).toBe(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('cuts text to a "…"-marked tail of the original that starts at a word', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...Object.keys(tokenizers)),
        fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
        (items, name, share) => {
          const countTokens = tokenizers[name as keyof typeof tokenizers];
          const sections = [
            section('style', title('style'), ['Terse.']),
            section('previous', title('previous'), items),
            section('instruction', title('instruction'), ['Go on.']),
          ];
          const needed = countTokens(renderSections([sections[0] as PromptSection, sections[2] as PromptSection]));
          const all = countTokens(renderSections(sections));
          const budget = Math.floor(needed + share * (all - needed));
          const result = assemblePrompt({ sections, budget, countTokens });
          const report = result.sections[1];
          if (!report?.cut) return;

          const original = items.filter((t) => t.trim() !== '').join('\n\n');
          const after = result.text.split(`## ${title('previous')}\n`)[1] ?? '';
          const block = after.split(`\n\n## ${title('instruction')}`)[0] ?? '';
          expect(block.startsWith('…')).toBe(true);
          const tail = block.slice(1);
          expect(tail).not.toBe('');
          expect(original.endsWith(tail)).toBe(true);
          expect(tail).toMatch(/^\S/u);
          const before = original.slice(0, original.length - tail.length);
          expect(before).not.toBe('');
          // After a space, or after a character of a script written without spaces.
          expect(before).toMatch(unspacedOrSpaceAtEnd);
        },
      ),
      { numRuns: 300 },
    );
  });
});
