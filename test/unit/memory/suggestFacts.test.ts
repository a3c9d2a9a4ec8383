import { describe, expect, it } from 'vitest';
import { type SuggestionPassage, suggestFacts } from '../../../electron/memory/suggestFacts.js';

type Scored = SuggestionPassage & { tokens: { text: string; surprisal: number }[] };

/** suggestFacts over passages that carry their heatmaps, recording which heatmaps it read. */
function suggest(path: Scored[], known: string[], limit?: number) {
  const read: number[] = [];
  const tokensOf = (nodeId: number) => (read.push(nodeId), path.find((p) => p.nodeId === nodeId)?.tokens ?? []);
  return Object.assign(suggestFacts(path, known, tokensOf, limit), { read });
}

/** A passage whose heatmap spells it word by word, each word scored `nats` unless `scores` says otherwise. */
function scored(nodeId: number, passage: string, scores: Record<string, number> = {}, nats = 1): Scored {
  const tokens = passage.split(/(?<= )/u).map((text) => ({ text, surprisal: scores[text.trim().replace(/[.,!?]$/u, '')] ?? nats }));
  return { nodeId, passage, tokens };
}

describe('suggestFacts', () => {
  it('suggests names that recur in two or more passages, with the sentence that brought each in', () => {
    const path = [
      scored(1, 'The storm came at night. The keeper met Ada by the door. She smiled.'),
      scored(2, 'Ada lit the lamp. A boat came in from the north.'),
      scored(3, 'The wind fell. They waited for Tam, who never came.'),
    ];
    const suggestions = suggest(path, []);
    const [ada, ...rest] = suggestions;
    expect(rest).toEqual([]);
    // Only the heatmap of the passage that brought the name in is read.
    expect(suggestions.read).toEqual([1]);
    expect(ada).toEqual({ name: 'Ada', text: 'The keeper met Ada by the door.', passages: 2, nodeId: 1, surprisal: 1 });
  });

  it('counts a name at the start of a sentence once it is known to be one, but never a capitalised word that only starts sentences', () => {
    const path = [scored(1, 'Her brother is called Tam.'), scored(2, 'Tam rowed out. She watched.'), scored(3, 'She slept. Tam did not.')];
    expect(suggest(path, []).map((s) => [s.name, s.passages])).toEqual([['Tam', 3]]);
  });

  it('never takes a function word for a name, however a quote or a line break capitalised it', () => {
    const path = [scored(1, 'Then Tom said, It is late, Then we go.'), scored(2, 'Old Tom looked up: It was late, Then he ran.')];
    expect(suggest(path, []).map((s) => s.name)).toEqual(['Tom']);
  });

  it('leaves out names already in the bible: title, premise or a pinned fact', () => {
    const path = [scored(1, 'Then Ada and Tam rowed to Skerry Rock.'), scored(2, 'At dusk Ada saw Tam wave from Skerry Rock.')];
    expect(suggest(path, ['The keeper is Ada.', 'Lights on Skerry']).map((s) => s.name)).toEqual(['Tam']);
  });

  it('joins runs of capitalised words into one name, at the start of a sentence too once it is known', () => {
    const path = [
      scored(1, 'They sailed for Skerry Rock with Captain Hale.'),
      scored(2, 'The light on Skerry Rock went dark.'),
      scored(3, 'Captain Hale laughed. Then Skerry Rock was gone.'),
    ];
    expect(suggest(path, []).map((s) => [s.name, s.passages])).toEqual([
      ['Skerry Rock', 3],
      ['Captain Hale', 2],
    ]);
  });

  it('ranks by passages times the surprisal of the first mention: a name the model did not expect comes first', () => {
    const path = [
      scored(1, 'Then Ada met Zephyrine at the quay.', { Zephyrine: 9, Ada: 0.5 }),
      scored(2, 'Later Ada and Zephyrine ate.'),
      scored(3, 'At last Ada slept.'),
    ];
    const suggestions = suggest(path, []);
    expect(suggestions.map((s) => [s.name, s.passages, s.surprisal])).toEqual([
      ['Zephyrine', 2, 9],
      ['Ada', 3, 0.5],
    ]);
  });

  it('sums the surprisal of every token of a name split into several, and has none for a passage without its heatmap', () => {
    const split: Scored = {
      nodeId: 1,
      passage: 'Then Zeph rowed.',
      tokens: [
        { text: 'Then ', surprisal: 1 },
        { text: 'Ze', surprisal: 4 },
        { text: 'ph', surprisal: 2.5 },
        { text: ' rowed.', surprisal: 1 },
      ],
    };
    expect(suggest([split, scored(2, 'And Zeph slept.')], [])[0]?.surprisal).toBe(6.5);
    const edited = { nodeId: 1, passage: 'Then Zeph rowed home.', tokens: split.tokens };
    expect(suggest([edited, scored(2, 'And Zeph slept.')], [])[0]?.surprisal).toBeNull();
  });

  it('cuts a long sentence at a word, and keeps to the limit', () => {
    const long = `Then Ada ${'walked and '.repeat(40)}stopped.`;
    const path = [scored(1, long), scored(2, 'And Ada slept; so did Bo, Cy, Di, Ed and Flo.'), scored(3, 'Bo, Cy, Di, Ed and Flo woke.')];
    const suggestions = suggest(path, [], 3);
    expect(suggestions).toHaveLength(3);
    const ada = suggest(path, []).find((s) => s.name === 'Ada');
    expect(ada?.text.endsWith('…')).toBe(true);
    expect(ada?.text.length).toBeLessThanOrEqual(241);
    expect(long.startsWith(ada?.text.slice(0, -1) ?? '-')).toBe(true);
  });
});
