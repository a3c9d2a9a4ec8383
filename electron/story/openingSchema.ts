import type { Budgets } from './budgets.js';

/** Title (unless the author gave one) and the outline of the first chapter, bounded like every structured call. */
export function openingSchema(chars: Budgets['chars'], withTitle: boolean): object {
  const outline = { type: 'string', minLength: 1, maxLength: chars.outline };
  return withTitle
    ? {
        type: 'object',
        properties: { title: { type: 'string', minLength: 1, maxLength: chars.title }, outline },
        required: ['title', 'outline'],
      }
    : { type: 'object', properties: { outline }, required: ['outline'] };
}
