import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemblePrompt } from '../../../electron/memory/assemblePrompt.js';
import type { PromptSection, SectionId } from '../../../electron/memory/PromptSection.js';
import { renderSections } from '../../../electron/memory/renderSections.js';
import { sectionPolicy } from '../../../electron/memory/sectionPolicy.js';
import { section } from './promptStory.js';
import { charsOver4, jittery, words, wordsPlusNewlines } from './tokenizers.js';

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
