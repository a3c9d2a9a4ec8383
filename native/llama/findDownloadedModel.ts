import { resolveModelFile } from 'node-llama-cpp';

/**
 * The file a `hf:` URI or URL was downloaded to in `directory`, named as node-llama-cpp's downloader names it;
 * undefined when it is not there. Never touches the network: the app is offline-first, downloads are explicit.
 */
export async function findDownloadedModel(uri: string, directory: string): Promise<string | undefined> {
  try {
    return await resolveModelFile(uri, { directory, download: false, cli: false });
  } catch {
    return undefined;
  }
}
