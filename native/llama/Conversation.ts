/**
 * A prompt as a short conversation, so one shape serves instruct models (rendered with their chat template)
 * and base models (rendered as a plain document). The last turn's `answer` is the beginning of what the model
 * writes next; earlier answers are what it wrote before, which keeps follow-up calls a strict extension of the
 * previous prompt and lets the KV cache be reused.
 */
export interface Conversation {
  system: string;
  turns: { user: string; answer: string }[];
}

export type PromptFormat = 'chat' | 'completion';

/** Base models read the conversation as one document: instructions, then each request and its answer. */
export function renderCompletion(conversation: Conversation): string {
  const parts = [conversation.system.trim()];
  for (const turn of conversation.turns) parts.push(turn.user.trim(), turn.answer);
  return parts.filter((p, i) => p.length > 0 || i === parts.length - 1).join('\n\n');
}
