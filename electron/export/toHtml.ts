import type { StoryArchive } from '../store/archive/StoryArchive.js';
import { escapeHtml, passageHtml } from './escapeHtml.js';
import { chapters } from './storyPath.js';

/** The current path as one self-contained HTML page, readable offline and printable. */
export function toHtml(archive: StoryArchive): string {
  const title = escapeHtml(archive.story.title);
  const body = chapters(archive)
    .map((c) => `<section>\n<h2>${escapeHtml(c.title)}</h2>\n${c.passages.map(passageHtml).join('\n')}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Longtale">
<title>${title}</title>
<style>
body { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; font: 1.15rem/1.7 Georgia, serif; color: #1f1b16; background: #fbf8f3; }
h1, h2 { font-weight: normal; } h2 { margin-top: 3rem; } .premise { font-style: italic; color: #5f574d; }
@media (prefers-color-scheme: dark) { body { color: #ece5da; background: #17140f; } .premise { color: #b3a999; } }
</style>
</head>
<body>
<h1>${title}</h1>
<p class="premise">${escapeHtml(archive.story.premise)}</p>
${body}
</body>
</html>
`;
}
