import type { Instruction } from '../contract/index.js';
import type { TurnText } from '../memory/surprisal/updateKeyMemory.js';
import type { CallMeter } from './CallMeter.js';
import { INSTRUCTION_TITLE } from './passagePrompt.js';
import type { PassageScores } from './scoresForPassage.js';
import type { Conversation, TextModel, TextScore } from './TextModel.js';

/**
 * The reader's own words (an action or an own plan), scored where they stand in the passage prompt, in the context
 * of the prompt before them. Done after the passage is written (see writeStep): the sequence still shares the
 * prompt up to them, so the cost is reading those few tokens again with their distributions. A chosen plan is the
 * model's own text, and the opening has none: null.
 */
export async function scoreInstruction(
  model: TextModel,
  conversation: Conversation,
  instruction: Instruction,
  meter: CallMeter,
  signal?: AbortSignal,
): Promise<TurnText | null> {
  if (instruction.kind !== 'action' && instruction.kind !== 'plan') return null;
  const text = instruction.text;
  const user = conversation.turns[0]?.user ?? '';
  // Under the instruction's heading, not in the request a chat prompt appends after it.
  const start = user.indexOf(text, Math.max(0, user.lastIndexOf(`## ${INSTRUCTION_TITLE}\n`)));
  if (text.trim() === '' || start === -1) return null;
  const score = await timed(meter, () => model.score(conversation, { turn: 0, field: 'user', start, end: start + text.length }, { signal }));
  return { origin: 'instruction', text, tokens: score.tokens };
}

/**
 * The passage, scored as the continuation of the prompt it was written from. The sequence then holds prompt and
 * passage, which is exactly the prefix the memory update that follows reads.
 *
 * With the scores recorded while it was written, only what they do not cover is scored here (the end of a passage
 * cut back to a sentence, when a token straddled the cut): the rest cost writing a few microseconds a token.
 */
export async function scorePassage(
  model: TextModel,
  conversation: Conversation,
  passage: string,
  meter: CallMeter,
  signal?: AbortSignal,
  written: PassageScores | null = null,
): Promise<TextScore['tokens']> {
  const [first] = conversation.turns;
  const answer = first?.answer ?? '';
  const scoring: Conversation = { system: conversation.system, turns: [{ user: first?.user ?? '', answer: `${answer}${passage}` }] };
  const from = written?.covered ?? 0;
  meter.scoringMs += written?.milliseconds ?? 0;
  if (from >= passage.length) return written?.tokens ?? [];
  const target = { turn: 0, field: 'answer' as const, start: answer.length + from, end: answer.length + passage.length };
  const rest = await timed(meter, () => model.score(scoring, target, { signal }));
  const moved = rest.tokens.map((t) => ({ ...t, start: t.start + from, end: t.end + from }));
  return [...(written?.tokens ?? []), ...moved];
}

/**
 * Adds what scoring cost the step to the meter: the wall time, less the reading of the prompt before the text,
 * which the generation that follows would otherwise do itself (it finds those tokens in the cache).
 */
async function timed(meter: CallMeter, work: () => Promise<TextScore>): Promise<TextScore> {
  const started = performance.now();
  const score = await work();
  meter.scoringMs += Math.max(0, performance.now() - started - score.contextMilliseconds);
  return score;
}
