import { describe, expect, it } from 'vitest';
import { classifySpan } from '../../../electron/memory/surprisal/classifySpan.js';
import { contentWords, names, similarity } from '../../../electron/memory/surprisal/keyTerms.js';
import { segmentSpans } from '../../../electron/memory/surprisal/segmentSpans.js';
import { selectSpans } from '../../../electron/memory/surprisal/selectSpans.js';
import { contentSurprisal, spanScore } from '../../../electron/memory/surprisal/spanScore.js';
import { scriptedTokens } from './scriptedTokens.js';

describe('segmentSpans', () => {
  it('splits into sentences with exact offsets, skipping blank ones', () => {
    const text = '  The lamp went out. "Who is there?" she asked.\n\nNobody answered!  ';
    const spans = segmentSpans(text, 30);
    // "Who is there?" ends a Unicode sentence; the lower-case "she asked." continues it.
    expect(spans.map((s) => s.text)).toEqual(['The lamp went out.', '"Who is there?" she asked.', 'Nobody answered!']);
    for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.text);
  });

  it('ends sentences at CJK full stops and line breaks', () => {
    const text = '龍が来た。村は静かだった。\nThen morning came';
    expect(segmentSpans(text, 30).map((s) => s.text)).toEqual(['龍が来た。', '村は静かだった。', 'Then morning came']);
  });

  it('splits a long sentence into clauses at its punctuation, never into fragments of a few words', () => {
    const text =
      'Mara climbed the stairs of the old lighthouse, counting every step in the dark; the storm beat against the glass, and somewhere below a door banged open and shut.';
    const spans = segmentSpans(text, 12);
    expect(spans.length).toBeGreaterThan(1);
    expect(spans.map((s) => s.text).join(' ')).toBe(text);
    for (const span of spans) {
      expect(text.slice(span.start, span.end)).toBe(span.text);
      expect(span.text.split(/\s+/u).length).toBeGreaterThanOrEqual(4);
    }
  });

  it('gives nothing for empty or blank text', () => {
    expect(segmentSpans('', 30)).toEqual([]);
    expect(segmentSpans(' \n\t ', 30)).toEqual([]);
  });
});

describe('contentSurprisal and spanScore', () => {
  it('leaves out punctuation, the first token, and the first token after a line break', () => {
    const tokens = [
      { text: 'Once', surprisal: 9, start: 0, end: 4 },
      { text: ' upon', surprisal: 1, start: 4, end: 9 },
      { text: '.', surprisal: 7, start: 9, end: 10 },
      { text: '\n', surprisal: 5, start: 10, end: 11 },
      { text: 'Then', surprisal: 9, start: 11, end: 15 },
      { text: ' rain', surprisal: 2, start: 15, end: 20 },
    ];
    // Starts are where each token's own text begins, after its leading space.
    expect(contentSurprisal(tokens)).toEqual([
      { start: 5, surprisal: 1 },
      { start: 16, surprisal: 2 },
    ]);
  });

  it('counts a character split over byte tokens once, with their summed surprisal', () => {
    const tokens = [
      { text: 'A', surprisal: 9, start: 0, end: 1 },
      { text: ' a', surprisal: 1, start: 1, end: 3 },
      { text: '', surprisal: 3, start: 3, end: 3 },
      { text: '', surprisal: 4, start: 3, end: 3 },
      { text: '龍', surprisal: 5, start: 3, end: 4 },
    ];
    expect(contentSurprisal(tokens)).toEqual([
      { start: 2, surprisal: 1 },
      { start: 3, surprisal: 12 },
    ]);
  });

  it('scores a span by the mean of the top half of its content tokens', () => {
    const text = 'x The quiet brass key hummed.';
    const values = [0, 1, 2, 9, 7, 3];
    const content = contentSurprisal(scriptedTokens(text, (_w, i) => values[i] ?? 0));
    const span = { start: 2, end: text.length, text: text.slice(2) };
    // Content tokens 1, 2, 9, 7, 3 ("hummed." has letters): top half (3 of 5) = 9, 7, 3.
    expect(spanScore(span, content)).toBeCloseTo((9 + 7 + 3) / 3);
    expect(spanScore({ start: 0, end: 1, text: 'x' }, [])).toBeNull();
  });
});

describe('selectSpans', () => {
  const raw = (values: number[]) => values.map((value, i) => ({ i, raw: value }));

  it('keeps spans with z ≥ 1, highest first, but no more than a quarter of them', () => {
    const kept = selectSpans(raw([1, 1, 1, 1, 1, 1, 9, 8]), 1, 0.25);
    expect(kept.map((s) => s.i)).toEqual([6, 7]);
    expect(kept[0]?.z).toBeGreaterThan(kept[1]?.z ?? Infinity);
    expect(kept.every((s) => s.z >= 1)).toBe(true);
    // Eight spans with one outlier: only the outlier reaches z ≥ 1.
    expect(selectSpans(raw([1, 2, 1, 2, 1, 2, 1, 9]), 1, 0.25).map((s) => s.i)).toEqual([7]);
    // Many outliers: the quarter caps them.
    expect(selectSpans(raw([0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10]), 1, 0.25)).toHaveLength(3);
  });

  it('keeps nothing from a single span or a flat turn', () => {
    expect(selectSpans(raw([5]), 1, 0.25)).toEqual([]);
    expect(selectSpans(raw([2, 2, 2, 2]), 1, 0.25)).toEqual([]);
  });
});

describe('classifySpan', () => {
  it('tells quoted speech, statements of how things are, and events apart', () => {
    expect(classifySpan('"Nice weather for turnips, isn\'t it?" said Zib.')).toBe('chatter');
    expect(classifySpan('The keeper was named Ada Quill.')).toBe('canon');
    expect(classifySpan('The vault had 17 locks.')).toBe('canon');
    expect(classifySpan('The key was made of glass.')).toBe('canon');
    expect(classifySpan('She ran down to the harbour.')).toBe('plot');
    expect(classifySpan('龍が来た。')).toBe('plot');
  });
});

describe('keyTerms', () => {
  it('finds content words, names that do not start a sentence, and their overlap', () => {
    expect([...contentWords('The cat and the Moon were there.')].sort()).toEqual(['cat', 'moon']);
    expect([...names('Then Ada met Tam. Later they left. I know.')].sort()).toEqual(['ada', 'tam']);
    expect(similarity(contentWords('the brass key hums'), contentWords('a brass key that hums'))).toBe(1);
    expect(similarity(contentWords('brass key'), contentWords('silver spoon'))).toBe(0);
  });
});
