import type { assemblePrompt } from '../../../electron/memory/assemblePrompt.js';
import type { PromptSection, SectionId } from '../../../electron/memory/PromptSection.js';
import { renderSections } from '../../../electron/memory/renderSections.js';
import { sectionPolicy } from '../../../electron/memory/sectionPolicy.js';

/** Shared by the assemblePrompt tests: a step prompt to fit, and ways to look at the result. */
export function section(id: SectionId, title: string, items: string[], overrides: Partial<PromptSection> = {}): PromptSection {
  return { id, title, items, ...sectionPolicy[id], ...overrides };
}

export const previousSentences = Array.from(
  { length: 12 },
  (_, i) => `Sentence ${i} tells of the storm and the lamp and the long night${i % 3 === 0 ? '!' : '.'}`,
);
export const shortSentences = ['Mira found a letter.', 'She has not opened it.', 'The storm is coming.', 'Her lamp is low.'];

/** A step prompt in the design's order: style, bible, key memory, short memory, related, previous, instruction. */
export function story(): PromptSection[] {
  return [
    section('style', 'Style', ['Past tense, third person, close on Mira.']),
    section('bible', 'Story bible', ['Mira keeps the lighthouse on Skerry Rock.', 'The sea took her brother Tam.']),
    section('keyMemory', 'Remember', [
      'The lamp oil is running out.',
      'A ship was sighted at dusk.',
      'Gulls nest under the gallery.',
    ]),
    section('shortMemory', 'So far', [shortSentences.join(' ')]),
    section('related', 'Earlier', [
      'Tam taught her to trim the wick.',
      'The supply boat is late again.',
      'Mira once saw a seal.',
    ]),
    section('previous', 'Story so far', [previousSentences.join(' ')]),
    section('instruction', 'Next', ['Mira opens the letter by the lamp.']),
  ];
}

/** The sections with the listed ones emptied, rendered: what the prompt looks like after those are trimmed away. */
export function renderedWithout(sections: PromptSection[], ...ids: SectionId[]): string {
  return renderSections(sections.map((s) => (ids.includes(s.id) ? { ...s, items: [] } : s)));
}

export function byId(result: ReturnType<typeof assemblePrompt>, id: SectionId) {
  const found = result.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}
