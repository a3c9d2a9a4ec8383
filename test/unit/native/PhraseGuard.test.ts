import { describe, expect, it } from 'vitest';
import { MAX_REWINDS, PhraseGuard } from '../../../native/llama/PhraseGuard.js';
import { StorySampler } from '../../../native/llama/StorySampler.js';
import { TextStream } from '../../../native/llama/TextStream.js';

describe('PhraseGuard', () => {
  const guard = () => new PhraseGuard(['Shivers down her spine', ' testament ', 'ale', '']);

  it('finds a phrase from the start of a word, ignoring case, and may end inside a word', () => {
    expect(guard().find('It sent SHIVERS down her spine.', 0)).toBe(8);
    expect(guard().find('A tale of ale.', 0)).toBe(10); // not inside "tale"
    expect(guard().find('a Testaments to it', 0)).toBe(2); // trimmed, and it may end inside a word
    expect(guard().find('Nothing here, a stale pale tale.', 0)).toBe(-1);
  });

  it('keeps indices where lower case would lengthen a character', () => {
    const g = new PhraseGuard(['ale']);
    expect(g.find('İİ ALE', 0)).toBe(3);
    expect(g.pending('İİ AL')).toBe(2);
  });

  it('looks back only as far as a phrase reaches behind `from`', () => {
    const text = 'ale and more text that goes on for a while';
    expect(guard().find(text, 0)).toBe(0);
    expect(guard().find(text, text.length)).toBe(-1); // the phrase ended long before: already let through
  });

  it('holds back the end of the text while it may still become a phrase', () => {
    expect(guard().pending('It sent shivers do')).toBe('shivers do'.length);
    expect(guard().pending('The ta')).toBe(0); // "ta" is no phrase's start; "a" begins no word here
    expect(guard().pending('The a')).toBe(1);
    expect(guard().pending('The al')).toBe(2);
    expect(guard().pending('The pal')).toBe(0);
  });

  it('remembers the tokens banned at each position and stops after MAX_REWINDS', () => {
    const g = guard();
    g.ban(3, 17);
    g.ban(3, 18);
    expect([...(g.banned(3) ?? [])]).toEqual([17, 18]);
    expect(g.banned(4)).toBeUndefined();
    for (let i = 2; i < MAX_REWINDS; i++) g.ban(5, i);
    expect(g.rewinds).toBe(MAX_REWINDS);
    expect(g.active).toBe(false);
    expect(g.find('ale', 0)).toBe(-1);
    expect(g.pending('The al')).toBe(0);
  });

  it('is inactive with no phrases', () => {
    expect(new PhraseGuard(['', '  ']).active).toBe(false);
  });

  it('with TextStream, never lets out any part of a phrase that is then taken back', () => {
    const g = guard();
    const stream = new TextStream([]);
    const out: string[] = [];
    for (const text of ['It sent', 'It sent shiv', 'It sent shivers down', 'It sent shivers down her sp']) out.push(stream.update(text, g.pending(text)).delta);
    expect(out.join('')).toBe('It sent ');
    expect(g.find('It sent shivers down her spine', 'It sent shivers down her sp'.length)).toBe(8);
    // Rewound to the phrase's start, another word follows.
    out.push(stream.update('It sent', 0).delta, stream.update('It sent a chill', 0).delta);
    expect(out.join('') + stream.finish().delta).toBe('It sent a chill');
  });
});

describe('StorySampler with banned tokens', () => {
  const map = new Map([
    [1, 0.7],
    [2, 0.2],
    [3, 0.1],
  ]);

  it('never draws a banned token while another candidate is left', () => {
    const sampler = new StorySampler({ temperature: 1, topK: 0, topP: 1, minP: 0, seed: 3 });
    const drawn = new Set(Array.from({ length: 500 }, () => sampler.sample(map, new Set([1, 3]))));
    expect(drawn).toEqual(new Set([2]));
    const greedy = new StorySampler({ temperature: 0, topK: 0, topP: 1, minP: 0, seed: 3 });
    expect(greedy.sample(map, new Set([1]))).toBe(2);
  });

  it('with every candidate banned, draws as if none were (the phrase is let through rather than stall)', () => {
    const sampler = new StorySampler({ temperature: 0, topK: 0, topP: 1, minP: 0, seed: 3 });
    expect(sampler.sample(map, new Set([1, 2, 3]))).toBe(1);
  });
});
