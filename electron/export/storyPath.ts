import type { ArchiveNode, StoryArchive } from '../store/archive/StoryArchive.js';

/** The passages from the first to the current one: what a reader of the finished story reads. */
export function storyPath(archive: StoryArchive): ArchiveNode[] {
  const byId = new Map(archive.nodes.map((n) => [n.id, n]));
  const path: ArchiveNode[] = [];
  for (let node = byId.get(archive.currentNodeId); node; node = node.parentId === null ? undefined : byId.get(node.parentId)) {
    path.push(node);
    if (path.length > archive.nodes.length) break;
  }
  return path.reverse();
}

/** RecurrentGPT's chapters run ten-odd passages; exports group the path that way. */
export const PASSAGES_PER_CHAPTER = 10;

export function chapters(archive: StoryArchive): { title: string; passages: string[] }[] {
  const path = storyPath(archive);
  const result: { title: string; passages: string[] }[] = [];
  for (let i = 0; i < path.length; i += PASSAGES_PER_CHAPTER) {
    result.push({ title: `Chapter ${result.length + 1}`, passages: path.slice(i, i + PASSAGES_PER_CHAPTER).map((n) => n.passage) });
  }
  return result;
}
