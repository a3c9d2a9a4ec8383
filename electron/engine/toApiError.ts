import { ZodError } from 'zod';
import { type ApiError, isErrorCode, LongtaleError } from '../contract/index.js';

/** Turns anything thrown inside the engine into the `{code, message}` that crosses the boundary. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof LongtaleError) return error.toApiError();
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { code: 'INVALID_INPUT', message: `${where}${issue?.message ?? 'invalid input'}` };
  }
  if (error instanceof Error) {
    // Native adapters name their failures with codes the contract shares.
    const code = (error as { code?: unknown }).code;
    if (isErrorCode(code)) return { code, message: error.message };
    if (code === 'SQLITE_FULL') {
      return { code: 'DB_WRITE_FAILED', message: 'The disk is full. Nothing was lost; free some space and try again.' };
    }
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return { code: 'DB_WRITE_FAILED', message: error.message };
    return { code: 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}
