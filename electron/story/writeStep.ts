import { LongtaleError } from '../contract/index.js';
import { resolveMemorySettings } from '../memory/surprisal/MemorySettings.js';
import { type TurnText, updateKeyMemory } from '../memory/surprisal/updateKeyMemory.js';
import { vectorMentions } from '../memory/surprisal/vectorMentions.js';
import { type Budgets, planBudgets } from './budgets.js';
import { CallMeter } from './CallMeter.js';
import type { GenerationSettings } from './GenerationSettings.js';
import { passagePrompt } from './passagePrompt.js';
import { scoreInstruction, scorePassage } from './scoreTurn.js';
import type { PassageScores } from './scoresForPassage.js';
import type { StepContext } from './StepContext.js';
import type { Conversation, TextModel } from './TextModel.js';
import { updateMemory } from './updateMemory.js';
import { writePassage } from './writePassage.js';
import type { StepCallbacks, WrittenNode } from './WrittenNode.js';

/** Where a step starts from, when not from scratch. */
export interface StepStart {
  /** The passage prompt for exactly this context, when the engine kept it (see StoryStates.savedPrompt). */
  saved?: Conversation;
  /** The passage's fixed beginning, for the model to continue (see writePassage). */
  begin?: string;
}

/**
 * One RecurrentGPT step: the passage (free text, streamed) written and scored as it is written, then the memory update and the next
 * three plans (grammar-constrained, appended to the same conversation), the reader's own words scored, and the
 * surprisal memory carried one turn on. Returns the node to commit; it writes nothing, so a cancelled or failed
 * step leaves no trace. The reader's words are scored only once the passage is written: the memory needs them
 * only now, and scoring them first would delay the first word of the passage.
 */
export async function writeStep(
  model: TextModel,
  context: StepContext,
  settings: GenerationSettings,
  recent: string[],
  callbacks: StepCallbacks = {},
  start: StepStart = {},
): Promise<WrittenNode> {
  const budgets = planBudgets(model, settings);
  const meter = new CallMeter();
  const conversation = start.saved ?? passagePrompt(model, context, budgets).conversation;

  callbacks.onPhase?.('writing');
  const { text: passage, scores } = await writePassage(model, conversation, settings, budgets, meter, {
    recent,
    onText: callbacks.onText,
    onRestart: callbacks.onRestart,
    signal: callbacks.signal,
    begin: start.begin,
  });
  if (passage.length === 0) throw new LongtaleError('GENERATION_FAILED', 'The model wrote nothing for this passage.');

  callbacks.onPhase?.('remembering');
  const remembered = await remember(model, context, conversation, passage, budgets, settings, meter, callbacks.signal, scores);
  return { passage, instruction: context.instruction, ...remembered, stats: meter.stats() };
}

/**
 * Recomputes the memory, summary, plans and token scores after a passage that is already written (an author
 * edited it, or an ancestor changed). The passage stays exactly as it is.
 */
export async function rememberPassage(
  model: TextModel,
  context: StepContext,
  passage: string,
  settings: GenerationSettings,
  signal?: AbortSignal,
): Promise<Omit<WrittenNode, 'passage' | 'instruction'>> {
  const budgets = planBudgets(model, settings);
  const meter = new CallMeter();
  const prompt = passagePrompt(model, context, budgets);
  const remembered = await remember(model, context, prompt.conversation, passage, budgets, settings, meter, signal);
  return { ...remembered, stats: meter.stats() };
}

async function remember(
  model: TextModel,
  context: StepContext,
  conversation: Conversation,
  passage: string,
  budgets: Budgets,
  settings: GenerationSettings,
  meter: CallMeter,
  signal: AbortSignal | undefined,
  written: PassageScores | null = null,
): Promise<Omit<WrittenNode, 'passage' | 'instruction' | 'stats'>> {
  const scored = await scorePassage(model, conversation, passage, meter, signal, written);
  const previousMemory = context.previous?.shortMemory ?? context.story.premise;
  const update = await updateMemory(model, conversation, passage, previousMemory, budgets, meter, { seed: settings.seed, signal });
  // Last: it reads the prompt again only from the reader's words on, where the cached passage and update end anyway.
  const instruction = await scoreInstruction(model, conversation, context.instruction, meter, signal);
  const texts: TurnText[] = [...(instruction ? [instruction] : []), { origin: 'passage', text: passage, tokens: scored }];
  const entries = context.previous?.keyMemory ?? [];
  const memorySettings = resolveMemorySettings(settings.memory);
  const mentioned = context.embedder
    ? await vectorMentions(context.embedder, entries, texts, memorySettings.mentionCosine, memorySettings.maxSpanWords, signal)
    : undefined;
  const keyMemory = updateKeyMemory({
    entries,
    turn: context.turn,
    texts,
    budget: budgets.memoryTokens,
    countTokens: (text) => model.countTokens(text),
    settings: memorySettings,
    ...(mentioned ? { mentioned } : {}),
  });
  return {
    summary: update.summary,
    shortMemory: update.memory,
    plans: update.plans,
    keyMemory: keyMemory.entries,
    ownEntryIds: keyMemory.ownIds,
    tokens: scored.map(({ text, surprisal }) => ({ text, surprisal })),
  };
}
