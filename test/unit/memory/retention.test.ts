import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../../../electron/contract/index.js';
import { editEntry } from '../../../electron/memory/surprisal/editKeyMemory.js';
import { defaultMemorySettings } from '../../../electron/memory/surprisal/MemorySettings.js';
import { updateKeyMemory } from '../../../electron/memory/surprisal/updateKeyMemory.js';
import { planBudgets } from '../../../electron/story/budgets.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { passagePrompt } from '../../../electron/story/passagePrompt.js';
import type { StepContext } from '../../../electron/story/StepContext.js';
import { ScriptedModel } from '../../fixtures/ScriptedModel.js';
import { seeded, tokensWithHighlights, words } from './scriptedTokens.js';

/**
 * SirLLM's grocery task at the level of text: a surprising fact at turn 1, then a hundred turns of ordinary
 * narration that never mentions it. Marked canon (decay 1.0) it must still be remembered and in the prompt; a
 * chatter line that entered with exactly the same score (decay 0.7) must be gone.
 */
const FACT = 'The grocer hid the emerald inside a jar of pickled quinces.';
const CHATTER = '"Lovely drizzle for snails," mumbled the tinker.';

const NOUNS = ['road', 'mill', 'river', 'bridge', 'cart', 'field', 'hill', 'barn', 'hedge', 'path', 'gate', 'fence', 'cloud', 'stream', 'orchard', 'meadow'];
const VERBS = ['crossed', 'passed', 'reached', 'left', 'followed', 'circled', 'watched', 'climbed'];
const PEOPLE = ['the farmer', 'a traveller', 'the miller', 'a shepherd', 'the boy', 'an old woman'];

/** Eight (or `count`) unremarkable sentences, each read at its own slightly noisy surprisal level. */
function ordinaryTurn(random: () => number, count = 8): { text: string; level: Map<string, number> } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const level = new Map<string, number>();
  const sentences = Array.from({ length: count }, () => {
    const who = pick(PEOPLE);
    const sentence = `${who[0]?.toUpperCase()}${who.slice(1)} ${pick(VERBS)} the ${pick(NOUNS)} near the ${pick(NOUNS)}.`;
    level.set(sentence, 1 + 0.3 * gaussian(random));
    return sentence;
  });
  return { text: sentences.join(' '), level };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Tokens of `text` at the surprisal level of the sentence they belong to (`special` sentences at `high`). */
function tokensFor(text: string, level: Map<string, number>, special: readonly string[] = [], high = 8) {
  const tokens = tokensWithHighlights(text, special, high, 0);
  for (const [sentence, value] of level) {
    const start = text.indexOf(sentence);
    for (const t of tokens) if (t.start >= start - 1 && t.end <= start + sentence.length) t.surprisal = value;
  }
  return tokens;
}

describe('retention over 100 turns (grocery task)', () => {
  it('keeps a canon fact in memory and in the prompt; forgets a chatter line of the same score', () => {
    const settings = defaultMemorySettings;
    const budget = 60;
    const random = seeded(7);

    // Turn 1: the fact and the chatter, equally surprising, among ordinary sentences.
    const opening = ordinaryTurn(random, 18);
    const text1 = `${FACT} ${opening.text} ${CHATTER}`;
    let memory = updateKeyMemory({
      entries: [],
      turn: 1,
      texts: [{ origin: 'passage', text: text1, tokens: tokensFor(text1, opening.level, [FACT, CHATTER]) }],
      budget,
      countTokens: words,
      settings,
    }).entries;
    const fact = memory.find((e) => e.text === FACT);
    const chatter = memory.find((e) => e.text === CHATTER);
    expect(fact && chatter).toBeTruthy();
    expect(fact?.score).toBe(chatter?.score);
    // The author marks the fact canon; the chatter line is chatter.
    memory = editEntry(memory, fact?.id ?? '', { kind: 'canon' });
    memory = editEntry(memory, chatter?.id ?? '', { kind: 'chatter' });

    let chatterGoneAt: number | null = null;
    let plotEntriesSeen = 0;
    for (let turn = 2; turn <= 101; turn++) {
      const { text, level } = ordinaryTurn(random);
      const tokens = tokensFor(text, level);
      const update = updateKeyMemory({ entries: memory, turn, texts: [{ origin: 'passage', text, tokens }], budget, countTokens: words, settings });
      memory = update.entries;
      plotEntriesSeen += update.added;
      if (chatterGoneAt === null && !memory.some((e) => e.text === CHATTER)) chatterGoneAt = turn;
      expect(memory.reduce((sum, e) => sum + words(e.text) + 2, 0)).toBeLessThanOrEqual(budget);
    }

    expect(plotEntriesSeen).toBeGreaterThan(50); // the memory was busy, and evicting by budget
    expect(memory.find((e) => e.text === FACT)).toMatchObject({ kind: 'canon', score: fact?.score, turnAdded: 1 });
    expect(memory.some((e) => e.text === CHATTER)).toBe(false);
    // 0.7^k · z < 0.2 within a handful of turns.
    expect(chatterGoneAt).toBeLessThan(12);

    // And the fact is what the next prompt reads, in story order with the other entries.
    const prompt = promptFor(memory);
    expect(prompt).toContain(`- ${FACT}`);
    expect(prompt).not.toContain(CHATTER);
    const shown = memory.filter((e) => prompt.includes(`- ${e.text}`));
    expect(shown.map((e) => e.turnAdded)).toEqual([...shown.map((e) => e.turnAdded)].sort((a, b) => a - b));
    expect(prompt.indexOf(FACT)).toBeLessThan(prompt.indexOf('## The story so far'));
  });
});

function promptFor(keyMemory: MemoryEntry[]): string {
  const model = new ScriptedModel(undefined, 2048);
  const context: StepContext = {
    story: { title: 'The Grocer', premise: 'A village shop.', genre: '', style: '', outline: '' },
    facts: [],
    previous: { passage: 'The shop was quiet.', shortMemory: 'Nothing much happened.', keyMemory, plans: [] },
    related: [],
    instruction: { kind: 'plan', text: 'Someone asks about the emerald.' },
    turn: 102,
  };
  return passagePrompt(model, context, planBudgets(model, { ...defaultGenerationSettings, memory: { ...defaultMemorySettings, budgetShare: 60 / 2048 } })).conversation.turns[0]?.user ?? '';
}
