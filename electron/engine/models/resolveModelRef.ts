import fs from 'node:fs';
import path from 'node:path';
import { LongtaleError } from '../../contract/index.js';
import { type CatalogEntry, catalogFileName } from './ModelCatalog.js';

export interface ModelRefContext {
  /** The models folder, where `longtale download` saves. */
  dir: string;
  catalog: readonly CatalogEntry[];
  /** The file a URI was downloaded to in `dir` (node-llama-cpp's naming), if it is there; never downloads. */
  findDownloaded(uri: string, dir: string): Promise<string | undefined>;
}

const URI = /^(hf:|huggingface:|https?:\/\/)/i;

/**
 * What `--model` / `--embedding-model` may name, as a file to load: a path (returned as it is; loading checks it),
 * a catalog id, or a `hf:` URI / URL. Ids and URIs resolve to their file in the models folder when it was
 * downloaded; otherwise the error says which `longtale download` fetches it, since Longtale never downloads on its
 * own (offline-first: a model is fetched only when the user asks).
 */
export async function resolveModelRef(ref: string, context: ModelRefContext): Promise<string> {
  const { dir, catalog } = context;
  const isUri = URI.test(ref);
  const entry = isUri ? catalog.find((e) => e.uri === ref) : catalog.find((e) => e.id === ref);
  // A file of that name in the working folder wins over a catalog id: the user pointed at it.
  if (!isUri && (!entry || fs.existsSync(ref))) return ref;
  if (entry) {
    const file = path.join(dir, catalogFileName(entry));
    if (fs.existsSync(file)) return file;
    throw notDownloaded(ref, entry.id, file);
  }
  const found = await context.findDownloaded(ref, dir);
  if (found !== undefined) return found;
  throw notDownloaded(ref, ref, undefined);
}

function notDownloaded(ref: string, downloadArg: string, file: string | undefined): LongtaleError {
  const partial = file !== undefined && fs.existsSync(`${file}.ipull`);
  const where = file === undefined ? '' : ` (expected at ${file})`;
  const how = partial ? `Its download was interrupted; "longtale download ${downloadArg}" resumes it.` : `Run "longtale download ${downloadArg}" first.`;
  return new LongtaleError('MODEL_NOT_FOUND', `${ref} is not downloaded yet${where}. ${how} Longtale never downloads a model on its own.`);
}
