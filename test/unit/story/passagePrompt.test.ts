import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../../electron/contract/index.js';
import { planBudgets } from '../../../electron/story/budgets.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { INSTRUCTION_TITLE, passagePrompt } from '../../../electron/story/passagePrompt.js';
import type { StepContext } from '../../../electron/story/StepContext.js';
import { ScriptedModel } from '../../fixtures/ScriptedModel.js';

const plans = [
  'Ada opens the door.',
  'Ada climbs to the lamp room, trims the wick by the light of the storm, and reads the letter her brother left under the oil can before the ship comes in.',
  'Ada waits for the tide to turn and the boat from the mainland to come back.',
];
const passage = Array.from({ length: 60 }, (_, i) => `The wind rose again at the hour of ${i} and the sea beat on the rocks.`).join(' ');

function context(instruction: Instruction, offered: string[]): StepContext {
  return {
    story: { title: 'The Keeper', premise: 'A lighthouse keeper finds a letter.', genre: '', style: '', outline: '' },
    facts: [],
    previous: { passage, shortMemory: 'Ada found a letter.', keyMemory: [], plans: offered },
    related: [],
    instruction,
    turn: 2,
  };
}

/** The prompt body for `instruction`, split at the instruction's heading. */
function promptFor(instruction: Instruction, offered: string[]): { before: string; body: string; budget: number; tokens: number } {
  const model = new ScriptedModel(undefined, 1024);
  const prompt = passagePrompt(model, context(instruction, offered), planBudgets(model, defaultGenerationSettings));
  const body = prompt.conversation.turns[0]?.user ?? '';
  return { before: body.split(`## ${INSTRUCTION_TITLE}`)[0] ?? '', body, budget: prompt.budget, tokens: prompt.assembled.tokens };
}

const choices = plans.map((text, i): Instruction => ({ kind: 'choice', choice: (i + 1) as 1 | 2 | 3, text }));

describe('passagePrompt', () => {
  it('is the same up to the instruction whichever plan offered is chosen, so one prompt read ahead serves all three', () => {
    const prompts = choices.map((c) => promptFor(c, plans));
    // The previous passage had to be cut: the fit is what could differ.
    expect(prompts[0]?.before).toContain('…');
    for (const p of prompts) {
      expect(p.before).toBe(prompts[0]?.before);
      expect(p.tokens).toBeLessThanOrEqual(p.budget);
    }
    for (const [i, p] of prompts.entries()) expect(p.body).toContain(plans[i]);
  });

  it('fitted to its own instruction alone, the prompts would differ before it (what the room for every plan prevents)', () => {
    const alone = choices.map((c) => promptFor(c, []));
    expect(alone[1]?.before).not.toBe(alone[0]?.before);
  });

  it("an instruction longer than every plan takes the room it needs from the previous passage", () => {
    const action: Instruction = { kind: 'action', text: `${plans[1]} ${plans[1]} ${plans[1]}` };
    const own = promptFor(action, plans);
    expect(own.tokens).toBeLessThanOrEqual(own.budget);
    expect(own.body).toContain(action.text);
    expect(own.before.length).toBeLessThan(promptFor(choices[1] as Instruction, plans).before.length);
  });
});
