import fs from 'node:fs';
import path from 'node:path';

/** Bytes an unprivileged process may still write on the volume holding `directory` (its nearest existing ancestor). */
export async function freeDiskBytes(directory: string): Promise<number> {
  let dir = path.resolve(directory);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const stats = await fs.promises.statfs(dir);
  return stats.bavail * stats.bsize;
}
