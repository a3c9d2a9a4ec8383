import raw from '../../../models/catalog.json' with { type: 'json' };
import { type CatalogEntry, ModelCatalog } from './ModelCatalog.js';

/** The recommended models (models/catalog.json), checked against the schema when first used. */
let parsed: CatalogEntry[] | undefined;
export function catalog(): CatalogEntry[] {
  parsed ??= ModelCatalog.parse(raw).models;
  return parsed;
}
