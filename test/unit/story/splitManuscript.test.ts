import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitManuscript } from '../../../electron/story/splitManuscript.js';

const words = (text: string) => text.split(/\s+/u).filter(Boolean).length;

describe('splitManuscript', () => {
  it('joins paragraphs up to the passage size, starts a passage at a heading, and takes the first heading as the title', () => {
    const text = [
      '# The Salt Road',
      'Mara left at dawn.\nThe road was white.',
      'By noon the wells were dry.',
      'Chapter 2',
      'Night came down fast over the flats, and she walked on.',
      'A light moved on the ridge.',
    ].join('\n\n');
    expect(splitManuscript(text, 14, words)).toEqual({
      title: 'The Salt Road',
      passages: ['Mara left at dawn. The road was white.\n\nBy noon the wells were dry.', 'Night came down fast over the flats, and she walked on.', 'A light moved on the ridge.'],
    });
  });

  it('cuts a paragraph longer than a passage between sentences; a sentence longer than a passage stays whole', () => {
    const long = 'One two three. Four five six. Seven eight nine ten eleven twelve thirteen. Fourteen.';
    expect(splitManuscript(long, 6, words).passages).toEqual(['One two three. Four five six.', 'Seven eight nine ten eleven twelve thirteen.', 'Fourteen.']);
  });

  it('a "Chapter" line that is a sentence is prose, not a heading; no heading leaves the title to the caller', () => {
    expect(splitManuscript('Chapter and verse were all she knew.\r\n\r\nThen the rain.', 100, words)).toEqual({
      title: null,
      passages: ['Chapter and verse were all she knew.\n\nThen the rain.'],
    });
    expect(splitManuscript(' \n\n # Only a heading\n\n', 100, words)).toEqual({ title: 'Only a heading', passages: [] });
  });

  it('loses no word of prose and keeps the order, whatever the text and size', () => {
    const paragraph = fc.array(fc.constantFrom('Mara', 'walked.', 'The', 'sea', 'rose!', 'and', 'fell?', 'dark'), { minLength: 1, maxLength: 30 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 40 }), (paragraphs, size) => {
        const { passages } = splitManuscript(paragraphs.join('\n\n'), size, words);
        expect(passages.join(' ').split(/\s+/u)).toEqual(paragraphs.join(' ').split(/\s+/u));
        // Every passage fits unless it is one sentence too long to cut.
        for (const passage of passages) if (words(passage) > size) expect(passage.match(/[.!?]/gu)?.length ?? 0).toBeLessThanOrEqual(1);
      }),
    );
  });
});
