import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root folder. Both the source (electron/cli/*.ts) and the build (out/main/*.js) sit two
 * folders below it.
 */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}
