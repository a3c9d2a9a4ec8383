import path from 'node:path';
import { defaultDataDir } from '../defaultDataDir.js';

/** Where downloads go and local models are listed from: `<data dir>/models`. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultDataDir(env), 'models');
}
