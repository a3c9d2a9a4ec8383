import { describe, expect, it } from 'vitest';
import { LongtaleError } from '../../../electron/contract/index.js';
import { assemblePrompt } from '../../../electron/memory/assemblePrompt.js';
import { PromptTooLargeError } from '../../../electron/memory/PromptTooLargeError.js';
import { renderSections } from '../../../electron/memory/renderSections.js';
import { byId, previousSentences, renderedWithout, section, shortSentences, story } from './promptStory.js';
import { countingTokenizer, words } from './tokenizers.js';

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
