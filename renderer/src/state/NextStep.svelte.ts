import type { Plan, StepInput, StoryNode } from '../../../electron/contract/index.js';

export type PlanChoice = 0 | 1 | 2 | 'own';
/** How the reader's typed words are meant: what they do, or what they say aloud. */
export type ActionMode = 'do' | 'say';

/**
 * What the next passage will be written from, as the reader or author is composing it: the reader's typed
 * action (play), or the chosen plan, possibly edited, or the author's own (write). It follows the current
 * passage: when the story moves to another passage, the edits are dropped and its plans are offered afresh.
 */
export class NextStep {
  action = $state('');
  /** Kept from one passage to the next: a reader in a conversation goes on talking. */
  mode = $state<ActionMode>('do');
  choice = $state<PlanChoice>(0);
  ownPlan = $state('');
  #texts = $state<string[]>([]);
  #plans: Plan[] = [];
  #nodeId: number | null = null;

  /** Follows `node`; does nothing when it is the passage already followed with the same plans. */
  follow(node: StoryNode | null): void {
    if (!node) return;
    if (node.id === this.#nodeId && samePlans(node.plans, this.#plans)) return;
    this.#nodeId = node.id;
    this.#plans = node.plans;
    this.#texts = node.plans.map((p) => p.text);
    this.action = '';
    this.ownPlan = '';
    this.choice = node.plans.length > 0 ? 0 : 'own';
  }

  get plans(): Plan[] {
    return this.#plans;
  }

  planText(index: number): string {
    return this.#texts[index] ?? '';
  }

  setPlanText(index: number, text: string): void {
    const texts = [...this.#texts];
    texts[index] = text;
    this.#texts = texts;
  }

  isEdited(index: number): boolean {
    return this.#plans[index] !== undefined && this.planText(index).trim() !== this.#plans[index]!.text.trim();
  }

  /** The step to write in the manuscript: a plan as offered, a plan as edited, or the author's own. */
  get writeInput(): StepInput | null {
    if (this.choice === 'own') return this.ownPlan.trim() ? { plan: this.ownPlan.trim() } : null;
    const text = this.planText(this.choice).trim();
    if (!text) return null;
    return this.isEdited(this.choice) ? { plan: text } : { choice: this.choice + 1 };
  }

  /** The step to play: the reader's action when typed, else nothing (choices are buttons). Words said are quoted. */
  get playInput(): StepInput | null {
    const text = this.action.trim();
    if (!text) return null;
    return { action: this.mode === 'say' ? spoken(text) : text };
  }
}

function samePlans(a: readonly Plan[], b: readonly Plan[]): boolean {
  return a.length === b.length && a.every((p, i) => p.text === b[i]?.text && p.label === b[i]?.label);
}

/** `I say, "…"`; words the reader already quoted keep their own quotes. */
function spoken(text: string): string {
  const quoted = /^["“'‘].*["”'’]$/su.test(text);
  return `I say, ${quoted ? text : `“${text}”`}`;
}
