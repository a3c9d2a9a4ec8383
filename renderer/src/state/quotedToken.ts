/** A token's text as the heatmap shows it: quoted, so a leading space or a line break can be seen. */
export function quotedToken(text: string): string {
  return JSON.stringify(text.replace(/\s+/gu, ' '));
}
