import type { StoryArchive } from '../store/archive/StoryArchive.js';
import { toEpub } from './toEpub.js';
import { toHtml } from './toHtml.js';
import { toMarkdown } from './toMarkdown.js';
import { toTwee } from './toTwee.js';

export const EXPORT_FORMATS = ['json', 'md', 'html', 'epub', 'twee'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  fileName: string;
  mediaType: string;
  data: Buffer;
}

const MEDIA_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  epub: 'application/epub+zip',
  twee: 'text/plain; charset=utf-8',
};

/** One story in one format, with a file name made from its title. */
export async function exportStory(archive: StoryArchive, format: ExportFormat): Promise<ExportedFile> {
  const data =
    format === 'json'
      ? Buffer.from(`${JSON.stringify(archive, null, 1)}\n`)
      : format === 'epub'
        ? await toEpub(archive)
        : Buffer.from(format === 'md' ? toMarkdown(archive) : format === 'html' ? toHtml(archive) : toTwee(archive));
  return { fileName: `${fileStem(archive.story.title)}.${format === 'json' ? 'longtale.json' : format}`, mediaType: MEDIA_TYPES[format], data };
}

function fileStem(title: string): string {
  const stem = title.normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/gu, '').slice(0, 60);
  return stem || 'story';
}
