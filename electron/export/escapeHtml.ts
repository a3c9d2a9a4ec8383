const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ENTITIES[c] ?? c);
}

/** A passage as HTML paragraphs: blank lines separate paragraphs, single newlines become line breaks. */
export function passageHtml(passage: string): string {
  return passage
    .trim()
    .split(/\n\s*\n/u)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/gu, '<br>')}</p>`)
    .join('\n');
}
