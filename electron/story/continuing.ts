import type { Conversation } from './TextModel.js';

/** The prompt with `begin` added to the start of its answer, so the model reads it as its own and writes on. */
export function continuing(conversation: Conversation, begin: string): Conversation {
  const turns = conversation.turns.map((turn, i, all) => (i === all.length - 1 ? { ...turn, answer: `${turn.answer}${begin}` } : turn));
  return { system: conversation.system, turns };
}
