import type { Plan } from '../contract/index.js';
import type { Budgets } from './budgets.js';

export interface MemoryUpdate {
  memory: string;
  summary: string;
  plans: Plan[];
}

/**
 * The JSON schema of the memory update. Every string has a maximum length, so the grammar forces the model to
 * close each one: even a tiny or random-weight model then always produces a complete object.
 */
export function updateSchema(chars: Budgets['chars']): object {
  return {
    type: 'object',
    properties: {
      memory: { type: 'string', minLength: 1, maxLength: chars.memory },
      summary: { type: 'string', minLength: 1, maxLength: chars.summary },
      plans: {
        type: 'array',
        minItems: 3,
        maxItems: 3,
        items: {
          type: 'object',
          properties: {
            label: { type: 'string', minLength: 1, maxLength: chars.label },
            plan: { type: 'string', minLength: 1, maxLength: chars.plan },
          },
          required: ['label', 'plan'],
        },
      },
    },
    required: ['memory', 'summary', 'plans'],
  };
}

/**
 * Checks what the grammar cannot: text that is more than whitespace, and three plans that differ. Returns the
 * cleaned update, or the reason it is unusable (which earns a retry).
 */
export function validateUpdate(value: unknown): { update: MemoryUpdate } | { problem: string } {
  const v = value as { memory?: unknown; summary?: unknown; plans?: unknown } | undefined;
  const memory = clean(v?.memory);
  const summary = clean(v?.summary);
  if (!memory) return { problem: 'the memory is empty' };
  if (!summary) return { problem: 'the summary is empty' };
  if (!Array.isArray(v?.plans) || v.plans.length !== 3) return { problem: 'there are not three plans' };
  const plans: Plan[] = [];
  for (const raw of v.plans as { label?: unknown; plan?: unknown }[]) {
    const text = clean(raw?.plan);
    if (!text) return { problem: 'a plan is empty' };
    plans.push({ label: clean(raw?.label) || labelFromPlan(text), text });
  }
  const distinct = new Set(plans.map((p) => p.text.toLowerCase()));
  if (distinct.size !== 3) return { problem: 'two plans are the same' };
  return { update: { memory, summary, plans } };
}

function clean(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/gu, ' ').trim() : '';
}

/** A short button label from a plan: its first few words. */
export function labelFromPlan(plan: string): string {
  const words = plan.split(/\s+/u).filter(Boolean);
  const label = words.slice(0, 6).join(' ');
  return words.length > 6 ? `${label}…` : label;
}
