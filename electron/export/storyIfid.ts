import { createHash } from 'node:crypto';
import type { StoryArchive } from '../store/archive/StoryArchive.js';

/**
 * Twine's IFID identifies a story across exports, so it must not change each time: derive it from what never
 * changes about the story (its creation time and premise), shaped as a version-4 UUID in upper case.
 */
export function storyIfid(archive: StoryArchive): string {
  const hex = createHash('sha256').update(`longtale:${archive.story.createdAt}:${archive.story.premise}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}
