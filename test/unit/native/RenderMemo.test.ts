import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../native/llama/Conversation.js';
import { RenderMemo } from '../../../native/llama/RenderMemo.js';

const conversation = (system: string, user: string, answer: string): Conversation => ({ system, turns: [{ user, answer }] });

/** A memo whose renderings are counted, so a test sees which calls computed anew. */
function counted(size: number) {
  const memo = new RenderMemo<string>(size);
  let renders = 0;
  const get = (c: Conversation) =>
    memo.get(c, () => {
      renders += 1;
      return `${c.system}|${c.turns.map((t) => `${t.user}>${t.answer}`).join('|')}`;
    });
  return { get, renders: () => renders };
}

describe('RenderMemo', () => {
  it('renders an equal conversation once, even as another object', () => {
    const { get, renders } = counted(2);
    expect(get(conversation('s', 'u', 'a'))).toBe('s|u>a');
    expect(get(conversation('s', 'u', 'a'))).toBe('s|u>a');
    expect(renders()).toBe(1);
  });

  it('tells conversations apart by every field, including where one field ends and the next begins', () => {
    const { get, renders } = counted(8);
    get(conversation('s', 'u', 'a'));
    get(conversation('s', 'u', 'b'));
    get(conversation('s', 'v', 'a'));
    get(conversation('t', 'u', 'a'));
    get(conversation('s', 'ua', ''));
    get({ system: 's', turns: [{ user: 'u', answer: 'a' }, { user: '', answer: '' }] });
    expect(renders()).toBe(6);
  });

  it('returns a primed value without rendering, as the most recent one', () => {
    const memo = new RenderMemo<string>(2);
    memo.prime(conversation('s', 'u', 'a'), 'saved');
    expect(memo.get(conversation('s', 'u', 'a'), () => 'rendered')).toBe('saved');
    memo.get(conversation('b', '', ''), () => 'b');
    memo.prime(conversation('c', '', ''), 'c');
    // Size 2: the primed conversation was used before b, so it went first.
    expect(memo.get(conversation('s', 'u', 'a'), () => 'rendered')).toBe('rendered');
  });

  it('keeps the most recently used and drops the oldest past its size', () => {
    const { get, renders } = counted(2);
    const [a, b, c] = [conversation('a', '', ''), conversation('b', '', ''), conversation('c', '', '')];
    get(a);
    get(b);
    get(a); // a is now the most recent
    get(c); // drops b
    expect(renders()).toBe(3);
    get(a);
    get(c);
    expect(renders()).toBe(3);
    get(b);
    expect(renders()).toBe(4);
  });
});
