import type { Budgets } from './budgets.js';
import { INSTRUCTION_TITLE, passagePrompt } from './passagePrompt.js';
import type { StepContext } from './StepContext.js';
import type { Conversation, TextModel } from './TextModel.js';

/**
 * The prompt of the passage after `context`'s node, cut before the instruction: the part every continuation
 * from that node shares (unless the reader's words bring up other related passages), so it can be read into the
 * cache while the reader is still choosing.
 */
export function nextPromptStart(model: TextModel, context: StepContext, budgets: Budgets): Conversation {
  const { conversation } = passagePrompt(model, context, budgets);
  const user = conversation.turns[0]?.user ?? '';
  const cut = user.lastIndexOf(`## ${INSTRUCTION_TITLE}`);
  return { system: conversation.system, turns: [{ user: cut === -1 ? user : user.slice(0, cut), answer: '' }] };
}
