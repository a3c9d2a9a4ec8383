import type { Instruction, StepInput, StoryNode } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';

/** Turns what the user chose into the instruction the passage is written from. */
export function toInstruction(input: StepInput, from: StoryNode): Instruction {
  if ('plan' in input) return { kind: 'plan', text: input.plan };
  if ('action' in input) return { kind: 'action', text: input.action };
  const plan = from.plans[input.choice - 1];
  if (!plan) throw new LongtaleError('INVALID_INPUT', `Passage ${from.id} offers ${from.plans.length} plans; there is no plan ${input.choice}.`);
  return { kind: 'choice', choice: input.choice, text: plan.text };
}

/** The input the engine reads ahead for after a step: the first plan, the likeliest continuation. */
export function likeliestInput(node: StoryNode): StepInput {
  return node.plans.length > 0 ? { choice: 1 } : { plan: 'Continue the story.' };
}
