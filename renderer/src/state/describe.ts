import { type ApiError, describeError, errorCodes, isErrorCode } from '../../../electron/contract/index.js';
import { BackendError } from '../backend/Backend.js';

/** What a person reads for any failure, through the contract's one table of codes. */
export function describe(error: unknown): string {
  if (error instanceof BackendError) return describeError(error);
  if (isApiError(error)) return describeError(error);
  return `${errorCodes.INTERNAL} ${error instanceof Error ? error.message : String(error)}`;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof BackendError && error.code === 'CANCELLED';
}

function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && isErrorCode((error as ApiError).code) && typeof (error as ApiError).message === 'string';
}
