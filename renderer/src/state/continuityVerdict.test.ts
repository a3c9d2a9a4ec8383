import { describe, expect, it } from 'vitest';
import type { ContinuityCheck } from '../../../electron/contract/index.js';
import { describeTimes, formatTimes, summarize, verdictOf } from './continuityVerdict.js';

const check = (baselineNats: number, nats: number[], answerTokens = 3): ContinuityCheck => ({
  question: 'Where is the key?',
  answer: 'under the mat',
  answerTokens,
  baselineNats,
  points: nats.map((n, i) => ({ nodeId: i + 1, position: i + 1, nats: n })),
  reply: 'under the mat',
});

describe('verdictOf', () => {
  it('says the story carries the answer when its memory makes it at least three times likelier, at the last passage checked', () => {
    expect(verdictOf(check(9, [1, 6]))).toEqual({ tone: 'kept', text: 'At § 2 the story still carries it: the answer is 20.1× as likely as from the bible alone.' });
  });

  it('says it may be lost when the memory barely moves it, and may be contradicted when it makes it less likely', () => {
    expect(verdictOf(check(9, [8.5])).tone).toBe('faint');
    expect(verdictOf(check(9, [8.5])).text).toContain('Pin it as a fact');
    expect(verdictOf(check(6, [9])).text).toBe('At § 1 the answer is 20.1× less likely than from the bible alone: the story may say otherwise.');
  });

  it('says the bible already gives it when the answer is plain without the memory', () => {
    expect(verdictOf(check(1.5, [1.2], 3)).tone).toBe('bible');
  });

  it('writes large factors whole, and a factor below one as how much less likely', () => {
    expect(formatTimes(1234.4)).toBe('1,234×');
    expect(formatTimes(2.345)).toBe('2.3×');
    expect(describeTimes(0.5)).toBe('2.0× less likely');
    expect(describeTimes(3)).toBe('3.0× as likely');
  });
});

describe('summarize', () => {
  it('counts the checks at their passage by verdict, in a fixed order, leaving out the tones none has', () => {
    const faded = check(9, [1, 8.5]);
    expect(summarize([check(9, [6, 1]), faded, check(9, [1, 2]), check(9, [1, 1])])).toBe('4 kept checks at § 2: 3 carried, 1 faded');
    expect(summarize([check(6, [9]), check(1.5, [1.2])])).toBe('2 kept checks at § 1: 1 from the bible, 1 maybe contradicted');
    expect(summarize([faded])).toBe('1 kept check at § 2: 1 faded');
    expect(summarize([])).toBe('There were no kept checks to put to the story.');
  });
});
