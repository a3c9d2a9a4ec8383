import { describe, expect, it } from 'vitest';
import { node } from '../testing/fixtures.js';
import { NextStep } from './NextStep.svelte.js';

describe('NextStep', () => {
  it('offers the plans of the passage it follows, the first chosen', () => {
    const next = new NextStep();
    next.follow(node(4, 3));
    expect(next.plans.map((p) => p.label)).toEqual(['Go 1', 'Go 2', 'Go 3']);
    expect(next.writeInput).toEqual({ choice: 1 });
    next.choice = 2;
    expect(next.writeInput).toEqual({ choice: 3 });
  });

  it('turns an edited plan into the author’s plan, and an unedited one back into a choice', () => {
    const next = new NextStep();
    next.follow(node(4, 3));
    next.setPlanText(0, 'The keeper burns the letter.');
    expect(next.isEdited(0)).toBe(true);
    expect(next.writeInput).toEqual({ plan: 'The keeper burns the letter.' });
    next.setPlanText(0, ' plan 4.1 ');
    expect(next.writeInput).toEqual({ choice: 1 });
  });

  it('writes from the author’s own plan, and from nothing when it is empty', () => {
    const next = new NextStep();
    next.follow(node(4, 3));
    next.choice = 'own';
    expect(next.writeInput).toBeNull();
    next.ownPlan = '  A storm comes.  ';
    expect(next.writeInput).toEqual({ plan: 'A storm comes.' });
  });

  it('plays words the reader says as speech, quoted once', () => {
    const next = new NextStep();
    next.mode = 'say';
    next.action = ' Who goes there? ';
    expect(next.playInput).toEqual({ action: 'I say, “Who goes there?”' });
    next.action = '"Stop!"';
    expect(next.playInput).toEqual({ action: 'I say, "Stop!"' });
    next.mode = 'do';
    expect(next.playInput).toEqual({ action: '"Stop!"' });
  });

  it('plays the reader’s typed action', () => {
    const next = new NextStep();
    next.follow(node(4, 3));
    expect(next.playInput).toBeNull();
    next.action = ' I climb the stairs ';
    expect(next.playInput).toEqual({ action: 'I climb the stairs' });
  });

  it('keeps edits while following the same passage and drops them on another', () => {
    const next = new NextStep();
    next.follow(node(4, 3));
    next.action = 'wait';
    next.setPlanText(1, 'edited');
    next.follow(node(4, 3));
    expect(next.action).toBe('wait');
    expect(next.planText(1)).toBe('edited');
    next.follow(node(5, 4));
    expect(next.action).toBe('');
    expect(next.planText(1)).toBe('plan 5.2');
  });

  it('falls back to the own plan when a passage offers none', () => {
    const next = new NextStep();
    next.follow(node(1, null, { plans: [] }));
    expect(next.choice).toBe('own');
  });
});
