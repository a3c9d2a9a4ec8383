import type { ArchiveNode, StoryArchive } from '../store/archive/StoryArchive.js';
import { storyIfid } from './storyIfid.js';

/**
 * Twee 3: a playable Twine story of the branches explored so far. Every node is a passage; its children are
 * links labelled with the choice that led to them.
 */
export function toTwee(archive: StoryArchive): string {
  const children = new Map<number, ArchiveNode[]>();
  for (const node of archive.nodes) {
    if (node.parentId === null) continue;
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const root = archive.nodes.find((n) => n.parentId === null) ?? archive.nodes[0];
  const data = { ifid: storyIfid(archive), format: 'Harlowe', 'format-version': '3.3.8', start: passageName(root?.id ?? 0), zoom: 1 };
  const parts = [`:: StoryTitle\n${oneLine(archive.story.title)}`, `:: StoryData\n${JSON.stringify(data, null, 2)}`];
  for (const node of archive.nodes) {
    const links = (children.get(node.id) ?? [])
      .sort((a, b) => a.siblingOrder - b.siblingOrder || a.id - b.id)
      .map((child, i, all) => `[[${linkText(child, i, all.length)}->${passageName(child.id)}]]`);
    parts.push(`:: ${passageName(node.id)}\n${escapeBody(node.passage.trim())}${links.length > 0 ? `\n\n${links.join('\n')}` : ''}`);
  }
  return `${parts.join('\n\n\n')}\n`;
}

function passageName(id: number): string {
  return `n${id}`;
}

/** What the reader clicks: the plan's label when the choice came from one, else the author's plan or action. */
function linkText(child: ArchiveNode, index: number, count: number): string {
  const instruction = child.instruction;
  const raw = 'text' in instruction ? instruction.text : 'Continue';
  const text = oneLine(raw).slice(0, 80) || 'Continue';
  const base = text.replace(/->|<-|\[|\]|\|/gu, ' ').replace(/\s+/gu, ' ').trim();
  return count > 1 && index > 0 && base === 'Continue' ? `Continue (${index + 1})` : base;
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Passage text must not open links or start new passages by accident. */
function escapeBody(text: string): string {
  return text.replace(/\[\[/gu, '[ [').replace(/\]\]/gu, '] ]').replace(/^::/gmu, '\\::');
}
