import { LongtaleError } from '../../contract/index.js';
import { ARCHIVE_FORMAT, StoryArchive } from './StoryArchive.js';

/** Exports of huge stories stay well under this; anything larger is refused before it is parsed. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Reads an exported story, refusing anything that is not exactly our format with a message that says why. */
export function parseArchive(text: string): StoryArchive {
  if (text.length > MAX_ARCHIVE_BYTES) throw new LongtaleError('INVALID_INPUT', 'The file is larger than any Longtale export.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LongtaleError('INVALID_INPUT', `The file is not JSON (${error instanceof Error ? error.message : 'unreadable'}).`);
  }
  if ((value as { format?: unknown } | null)?.format !== ARCHIVE_FORMAT) {
    throw new LongtaleError('INVALID_INPUT', 'The file is not a Longtale story export.');
  }
  const result = StoryArchive.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new LongtaleError('INVALID_INPUT', `The story file is damaged${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return result.data;
}
