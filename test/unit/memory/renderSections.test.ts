import { describe, expect, it } from 'vitest';
import { renderSections } from '../../../electron/memory/renderSections.js';

describe('renderSections', () => {
  it('renders a heading line per section, items separated by blank lines, sections by blank lines', () => {
    const text = renderSections([
      { title: 'Story bible', items: ['Mira keeps the light.', 'Tam is lost.'] },
      { title: 'Story so far', items: ['The storm broke.'] },
    ]);
    expect(text).toBe('## Story bible\nMira keeps the light.\n\nTam is lost.\n\n## Story so far\nThe storm broke.');
  });

  it('omits sections with no items or only blank ones, and blank items inside a section', () => {
    const text = renderSections([
      { title: 'Empty', items: [] },
      { title: 'Blank', items: ['', ' \n '] },
      { title: 'Kept', items: ['one', '   ', 'two'] },
    ]);
    expect(text).toBe('## Kept\none\n\ntwo');
    expect(renderSections([])).toBe('');
  });

  it('renders a section without a title as its bare items', () => {
    expect(renderSections([{ title: '', items: ['Write the next passage.'] }, { title: 'Next', items: ['Go.'] }])).toBe(
      'Write the next passage.\n\n## Next\nGo.',
    );
  });

  it('keeps items verbatim, whitespace included', () => {
    expect(renderSections([{ title: 'T', items: ['  indented\nline  '] }])).toBe('## T\n  indented\nline  ');
  });
});
