import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../../electron/store/toFtsQuery.js';

describe('toFtsQuery', () => {
  it('quotes the distinct lowercase words of three letters or more, joined with OR', () => {
    expect(toFtsQuery('The Keeper found a BRASS key; the keeper kept it.')).toBe('"keeper" OR "found" OR "brass" OR "key" OR "kept"');
  });

  it('drops common English words', () => {
    expect(toFtsQuery('What was that about the letter?')).toBe('"letter"');
  });

  it('is null when nothing is left', () => {
    for (const text of ['', '   ', 'a an I to of', 'the and with', '!!! ... ---', '🌊🌊']) expect(toFtsQuery(text)).toBeNull();
  });

  it('makes FTS5 syntax in the text inert', () => {
    expect(toFtsQuery('NEAR(storm harbour, 3) passage:lamp -ghost* "quoted" ^first {summary}: AND OR NOT')).toBe(
      '"near" OR "storm" OR "harbour" OR "passage" OR "lamp" OR "ghost" OR "quoted" OR "first" OR "summary"',
    );
  });

  it('keeps letters of any script and numbers', () => {
    expect(toFtsQuery('Здравствуй, café — 1911 你好世界')).toBe('"здравствуй" OR "café" OR "1911" OR "你好世界"');
  });

  it('stops at 24 terms', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`);
    const query = toFtsQuery(words.join(' '));
    expect(query?.split(' OR ')).toHaveLength(24);
    expect(query?.startsWith('"worda0" OR "wordb1"')).toBe(true);
  });

  it('handles 100 kB of text', () => {
    const big = 'lighthouse '.repeat(10_000);
    expect(toFtsQuery(big)).toBe('"lighthouse"');
    expect(toFtsQuery('x'.repeat(100_000))).toBeNull(); // one "word" longer than any real one
  });

  describe('against a real FTS5 table', () => {
    let db: Database.Database;
    let search: Database.Statement;

    beforeAll(() => {
      db = new Database(':memory:');
      db.exec(`CREATE VIRTUAL TABLE docs USING fts5(passage, summary, tokenize = 'porter unicode61');
               INSERT INTO docs VALUES ('The keeper climbed to the lamp room.', 'Climbing'),
                                       ('A storm broke over the harbour.', 'Storm');`);
      search = db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank');
    });

    afterAll(() => db.close());

    const accepted = (text: string): boolean => {
      const query = toFtsQuery(text);
      if (query !== null) search.all(query);
      return true;
    };

    it('finds stemmed words', () => {
      expect(search.all(toFtsQuery('climbing storms') ?? '')).toHaveLength(2);
    });

    it('never builds a query FTS5 refuses, for any string', () => {
      fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), accepted), { numRuns: 2_000 });
      fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), accepted), { numRuns: 1_000 });
    });

    it('never builds a query FTS5 refuses, for text full of FTS5 syntax', () => {
      const syntax = fc.constantFrom(
        '"', "'", '(', ')', '*', '-', '+', ':', '^', '{', '}', ',', 'NEAR(', 'NEAR/3', 'AND', 'OR', 'NOT',
        'passage:', 'summary:', '{passage summary}:', ' ', '\n', '\0', 'ǅ', 'İ', 'ß', 'ﬁ', '\u0301', '😀', '\ud800', '\udfff', 'ⅱⅲ',
        'keeper', 'storm', 'lamp',
      );
      const hostile = fc.array(syntax, { maxLength: 60 }).map((parts) => parts.join(''));
      fc.assert(fc.property(hostile, accepted), { numRuns: 2_000 });
    });
  });
});
