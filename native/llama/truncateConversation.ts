import type { Conversation } from './Conversation.js';
import type { ScoreTarget } from './TextScore.js';

/** The conversation up to `offset` characters into the target field: everything after it is dropped. */
export function truncateConversation(conversation: Conversation, target: ScoreTarget, offset: number): Conversation {
  const turns = conversation.turns.slice(0, target.turn + 1).map((turn) => ({ ...turn }));
  const last = turns[target.turn];
  if (!last) return { system: conversation.system, turns };
  if (target.field === 'user') {
    last.user = last.user.slice(0, offset);
    last.answer = '';
  } else {
    last.answer = last.answer.slice(0, offset);
  }
  return { system: conversation.system, turns };
}

/** The text of the target field. */
export function targetField(conversation: Conversation, target: ScoreTarget): string {
  const turn = conversation.turns[target.turn];
  return (target.field === 'user' ? turn?.user : turn?.answer) ?? '';
}
