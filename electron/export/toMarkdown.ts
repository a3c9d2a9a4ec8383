import type { StoryArchive } from '../store/archive/StoryArchive.js';
import { chapters } from './storyPath.js';

/** The current path as Markdown: title, premise, chapters of passages. */
export function toMarkdown(archive: StoryArchive): string {
  const lines = [`# ${archive.story.title}`, '', `*${archive.story.premise.replace(/\s+/gu, ' ').trim()}*`, ''];
  for (const chapter of chapters(archive)) {
    lines.push(`## ${chapter.title}`, '');
    for (const passage of chapter.passages) lines.push(passage.trim(), '');
  }
  return lines.join('\n');
}
