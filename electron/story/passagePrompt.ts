import type { Instruction } from '../contract/index.js';
import type { AssembledPrompt } from '../memory/AssembledPrompt.js';
import { assemblePrompt } from '../memory/assemblePrompt.js';
import type { PromptSection, SectionId } from '../memory/PromptSection.js';
import { sectionPolicy } from '../memory/sectionPolicy.js';
import { memoryForPrompt } from '../memory/surprisal/memoryForPrompt.js';
import type { Budgets } from './budgets.js';
import type { StepContext } from './StepContext.js';
import type { Conversation, TextModel } from './TextModel.js';

export const SYSTEM_PROMPT =
  'You are a novelist co-writing a long story. Follow the instruction, keep to what the story has established, and write only the story.';

/**
 * Instruct models get the instructions; base models only continue documents and cannot follow them, so they get
 * the document alone (headings, and grammars for the structured parts), which also spares a small context.
 */
export function systemPromptFor(model: TextModel): string {
  return model.format === 'chat' ? SYSTEM_PROMPT : '';
}

/** Base models continue documents: the passage is written under this heading, and stops at the next one. */
export const COMPLETION_PASSAGE_HEADING = '## Next passage\n\n';
export const COMPLETION_STOPS = ['\n## ', '\n#'];

export interface PassagePrompt {
  conversation: Conversation;
  assembled: AssembledPrompt;
  /** Tokens the sections were allowed. */
  budget: number;
}

/** The heading of the last section, the instruction: the reader's own words are found under it. */
export const INSTRUCTION_TITLE = 'What happens next';

/** Slack for tokenisation at the seams between the body and the text around it. */
export const SEAM_TOKENS = 8;

/**
 * The prompt for a passage: the sections in their stable order, fitted to what the context has left once the
 * passage, the memory update and all the fixed text around the body (system text, template, both requests)
 * are measured, so the whole step always fits.
 */
export function passagePrompt(model: TextModel, context: StepContext, budgets: Budgets): PassagePrompt {
  const chat = model.format === 'chat';
  const request = chat ? passageRequest(context, budgets) : '';
  const answer = chat ? '' : COMPLETION_PASSAGE_HEADING;
  const system = systemPromptFor(model);
  const frame = model.countConversation({
    system,
    turns: [
      { user: request, answer },
      { user: updateRequest(model, budgets), answer: '' },
    ],
  });
  const budget = Math.max(0, model.contextSize - budgets.passageTokens - budgets.updateTokens - frame - SEAM_TOKENS);
  const countTokens = (text: string) => model.countTokens(text);
  const keyMemory = memoryForPrompt(context.previous?.keyMemory ?? [], budgets.memoryTokens, countTokens);
  // Fitted to leave room for any plan offered, so the prompt up to the instruction is the same whichever is chosen;
  // the room comes only from what is trimmed first (retrieved passages, the previous passage), never the memory.
  const plans = (context.previous?.plans ?? []).map((text) => [instructionText({ kind: 'choice', choice: 1, text })]);
  const assembled = assemblePrompt({
    sections: promptSections(context, keyMemory.map((e) => e.text)),
    budget,
    countTokens,
    alternatives: { id: 'instruction', items: plans, roomFrom: ['related', 'previous'] },
  });
  return {
    assembled,
    budget,
    conversation: { system, turns: [{ user: request ? `${assembled.text}\n\n${request}` : assembled.text, answer }] },
  };
}

/**
 * The sections in prompt order. `keyMemory` is the surprisal memory as it will be shown (chosen within its budget
 * and in story order, see memoryForPrompt); by default every entry of the previous node, in stored order.
 */
export function promptSections(context: StepContext, keyMemory?: readonly string[]): PromptSection[] {
  const { story, previous } = context;
  const section = (id: SectionId, title: string, items: string[]): PromptSection => ({ id, title, items, ...sectionPolicy[id] });
  const bible = [`Title: ${story.title}`, `Premise: ${story.premise}`];
  if (story.genre) bible.push(`Genre: ${story.genre}`);
  return [
    section('style', 'Style', story.style ? [story.style] : []),
    section('bible', 'Story', [bible.join('\n'), ...context.facts.map((f) => `- ${f}`)]),
    section('outline', 'Outline', story.outline ? [story.outline] : []),
    section('keyMemory', 'Details to remember', (keyMemory ?? (previous?.keyMemory ?? []).map((e) => e.text)).map((t) => `- ${t}`)),
    section('shortMemory', 'The story so far', previous?.shortMemory ? [previous.shortMemory] : []),
    section(
      'related',
      'Earlier passages that may matter',
      context.related.map((r) => r.summary || r.passage),
    ),
    section('previous', 'The previous passage', previous ? [previous.passage] : []),
    section('instruction', INSTRUCTION_TITLE, [instructionText(context.instruction)]),
  ];
}

function instructionText(instruction: Instruction): string {
  switch (instruction.kind) {
    case 'opening':
      return 'Begin the story: set the scene and introduce the main character.';
    case 'action':
      return `The reader chooses this action: ${instruction.text}\nContinue the story from this action.`;
    default:
      return instruction.text;
  }
}

function passageRequest(context: StepContext, budgets: Budgets): string {
  const words = Math.max(20, Math.round(budgets.passageTokens * 0.6));
  const what = context.instruction.kind === 'opening' ? 'the opening passage' : 'the next passage';
  return `Write ${what} of the story, about ${words} words.`;
}

/** The follow-up request for the memory update, appended after the passage in the same conversation. */
export function updateRequest(model: TextModel, budgets: Budgets): string {
  if (model.format === 'completion') return '## Memory update (JSON)';
  return (
    `## Memory update\nIn JSON: the story so far, now including this passage (key facts, under ${budgets.chars.memory} characters); ` +
    'a one-line summary of the passage; three different plans for what happens next, each with a short label.'
  );
}
