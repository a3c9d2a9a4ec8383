import type { StoryArchive } from '../store/archive/StoryArchive.js';
import { escapeHtml, passageHtml } from './escapeHtml.js';
import { chapters } from './storyPath.js';

type EpubFunction = (options: object, content: { title: string; content: string }[]) => Promise<Buffer>;

/** The current path as an EPUB 3 book, one chapter per ten passages. Nothing is fetched: the book has no images. */
export async function toEpub(archive: StoryArchive): Promise<Buffer> {
  const module = (await import('epub-gen-memory')) as unknown as { default: EpubFunction | { default: EpubFunction } };
  const epub = typeof module.default === 'function' ? module.default : module.default.default;
  const content = chapters(archive).map((c) => ({ title: c.title, content: c.passages.map(passageHtml).join('\n') }));
  return epub(
    {
      title: archive.story.title,
      author: 'Longtale',
      description: escapeHtml(archive.story.premise),
      lang: 'en',
      tocTitle: 'Contents',
      verbose: false,
      ignoreFailedDownloads: true,
    },
    content,
  );
}
