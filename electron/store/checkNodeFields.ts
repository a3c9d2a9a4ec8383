import { Instruction, MemoryEntry, NodeStats, Plan } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { NewNodeRecord } from './NewNodeRecord.js';

const checks = {
  passage: (v: unknown) => typeof v === 'string',
  summary: (v: unknown) => typeof v === 'string',
  shortMemory: (v: unknown) => typeof v === 'string',
  instruction: (v: unknown) => Instruction.safeParse(v).success,
  plans: (v: unknown) => Plan.array().safeParse(v).success,
  keyMemory: (v: unknown) => MemoryEntry.array().safeParse(v).success,
  stats: (v: unknown) => NodeStats.safeParse(v).success,
  stale: (v: unknown) => typeof v === 'boolean',
} as const;

/**
 * Refuses node fields that do not match the contract before they are written: the reader is lenient with old
 * rows, so a bad value written now would silently turn into defaults later instead of failing where it came from.
 */
export function checkNodeFields(fields: Partial<NewNodeRecord> & { stale?: boolean }): void {
  for (const [key, check] of Object.entries(checks)) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined && !check(value)) throw new LongtaleError('INVALID_INPUT', `The node's ${key} is not valid.`);
  }
}
