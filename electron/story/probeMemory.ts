import { assemblePrompt } from '../memory/assemblePrompt.js';
import type { SectionId } from '../memory/PromptSection.js';
import { memoryForPrompt } from '../memory/surprisal/memoryForPrompt.js';
import type { Budgets } from './budgets.js';
import { promptSections, SEAM_TOKENS, systemPromptFor } from './passagePrompt.js';
import type { StepContext } from './StepContext.js';
import type { Conversation, TextModel } from './TextModel.js';

/** Room kept for the answer: a probe's answer is a few words. */
export const ANSWER_TOKENS = 48;
/** What the story's fixed parts are: the baseline reads only these, with the question. */
const FIXED: ReadonlySet<SectionId> = new Set(['style', 'bible', 'outline', 'instruction']);
const QUESTION_TITLE = 'Question';

/**
 * The question put to the story as the next step would read it from `context` (its bible, its memory, the passages
 * retrieved for the question and the previous passage), with the question where the instruction goes. With
 * `withMemory` false, only the fixed parts (style, bible, outline) and the question: what the story knows without
 * its memory, the baseline a probe is measured against.
 */
export function probePrompt(model: TextModel, context: StepContext, budgets: Budgets, question: string, withMemory: boolean): Conversation {
  const system = systemPromptFor(model);
  const request = model.format === 'chat' ? 'Answer the question in a few words, from the story.' : '## Answer';
  const frame = model.countConversation({ system, turns: [{ user: request, answer: '' }] });
  const budget = Math.max(0, model.contextSize - ANSWER_TOKENS - frame - SEAM_TOKENS);
  const countTokens = (text: string) => model.countTokens(text);
  const keyMemory = memoryForPrompt(context.previous?.keyMemory ?? [], budgets.memoryTokens, countTokens).map((e) => e.text);
  const sections = promptSections(context, keyMemory)
    .filter((s) => withMemory || FIXED.has(s.id))
    .map((s) => (s.id === 'instruction' ? { ...s, title: QUESTION_TITLE, items: [question] } : s));
  const assembled = assemblePrompt({ sections, budget, countTokens });
  return { system, turns: [{ user: `${assembled.text}\n\n${request}`, answer: '' }] };
}

/** −ln p of `answer` as the model's answer to the prompt, summed over its tokens (nats), and how many tokens it is. */
export async function answerSurprisal(model: TextModel, prompt: Conversation, answer: string, signal?: AbortSignal): Promise<{ nats: number; tokens: number }> {
  const user = prompt.turns[0]?.user ?? '';
  const conversation: Conversation = { system: prompt.system, turns: [{ user, answer }] };
  const score = await model.score(conversation, { turn: 0, field: 'answer', start: 0, end: answer.length }, { signal });
  return { nats: score.tokens.reduce((sum, t) => sum + t.surprisal, 0), tokens: score.tokens.length };
}

/** What the model answers itself: its likeliest words, up to the end of the line (cut here too, whatever stops the model). */
export async function replyTo(model: TextModel, prompt: Conversation, signal?: AbortSignal): Promise<string> {
  const generation = await model.generate(prompt, { maxTokens: ANSWER_TOKENS, temperature: 0, stopStrings: ['\n'], dry: null, signal });
  return (generation.text.trim().split('\n')[0] ?? '').trim();
}
