/** What rendering needs from a section; `PromptSection` fits, and so does a section the story code builds itself. */
export interface RenderableSection {
  title: string;
  items: readonly string[];
}

/**
 * The one place that decides how a prompt body looks: each section with at least one non-blank item becomes a
 * `## title` line followed by its items separated by blank lines; sections are separated by blank lines. Items are
 * not trimmed, so the caller's text (pinned facts, the instruction) appears verbatim.
 */
export function renderSections(sections: readonly RenderableSection[]): string {
  const blocks: string[] = [];
  for (const section of sections) {
    const items = section.items.filter(isNotBlank);
    if (items.length === 0) continue;
    const body = items.join('\n\n');
    blocks.push(section.title === '' ? body : `## ${section.title}\n${body}`);
  }
  return blocks.join('\n\n');
}

export function isNotBlank(item: string): boolean {
  return item.trim() !== '';
}
