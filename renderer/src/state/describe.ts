import { describeError, errorCodes } from '../../../electron/contract/index.js';
import { BackendError } from '../backend/Backend.js';

/** What a person reads for any failure, through the contract's one table of codes. */
export function describe(error: unknown): string {
  if (error instanceof BackendError) return describeError(error);
  return `${errorCodes.INTERNAL} ${error instanceof Error ? error.message : String(error)}`;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof BackendError && error.code === 'CANCELLED';
}
