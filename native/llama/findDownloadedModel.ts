import fs from 'node:fs';
import path from 'node:path';
import { resolveModelFile } from 'node-llama-cpp';

/**
 * The file a `hf:` URI or URL was downloaded to in `directory`, named as node-llama-cpp's downloader names it;
 * undefined when it is not there. Never touches the network: the app is offline-first, downloads are explicit.
 */
export async function findDownloadedModel(uri: string, directory: string): Promise<string | undefined> {
  try {
    return await resolveModelFile(uri, { directory, download: false, cli: false });
  } catch {
    // The library only predicts names for Hugging Face; a plain URL is saved under its last path segment.
    if (!/^https?:\/\//i.test(uri)) return undefined;
    const name = decodeURIComponent(new URL(uri).pathname.split('/').at(-1) ?? '');
    const file = path.join(directory, name);
    return name !== '' && fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
  }
}
