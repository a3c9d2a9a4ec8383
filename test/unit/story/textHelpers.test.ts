import { describe, expect, it } from 'vitest';
import { titleFromPremise } from '../../../electron/story/titleFromPremise.js';
import { trimToSentence } from '../../../electron/story/trimToSentence.js';

describe('titleFromPremise', () => {
  it.each([
    ['a girl finds a dragon egg in the garden', 'A Girl Finds a Dragon Egg'],
    ['A brave cat sails to the moon', 'A Brave Cat Sails'],
    ['  the   sea,  the sea!  ', 'The Sea the Sea'],
    ['Zoë and the 🐉 of Łódź', 'Zoë and the of Łódź'],
    ['!!! ???', 'Untitled story'],
    ['', 'Untitled story'],
  ])('%j → %j', (premise, title) => {
    expect(titleFromPremise(premise)).toBe(title);
  });
});

describe('trimToSentence', () => {
  it('cuts a passage back to its last full sentence', () => {
    expect(trimToSentence('She ran. The door slammed behind her. Outside the rain')).toBe(
      'She ran. The door slammed behind her.',
    );
  });

  it('keeps closing quotes with their sentence', () => {
    expect(trimToSentence('"Run!" she said. "The tide is coming in." He did not move and the')).toBe(
      '"Run!" she said. "The tide is coming in."',
    );
  });

  it('keeps text with no sentence end, or with only a short stub before one, whole', () => {
    expect(trimToSentence('no full stop anywhere here')).toBe('no full stop anywhere here');
    expect(trimToSentence('Oh. and then a very long run of words without any end at all')).toBe(
      'Oh. and then a very long run of words without any end at all',
    );
  });

  it('does not treat a decimal point as a sentence end', () => {
    expect(trimToSentence('It cost 3.50 coins, far too much. She paid it anyway and')).toBe(
      'It cost 3.50 coins, far too much.',
    );
  });
});
