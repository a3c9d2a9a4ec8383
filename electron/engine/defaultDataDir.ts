import os from 'node:os';
import path from 'node:path';

/** The OS user-data folder, the same one Electron's `app.getPath('userData')` gives for productName Longtale. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LONGTALE_HOME) return path.resolve(env.LONGTALE_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Longtale');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Longtale');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Longtale');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultDataDir(env), 'longtale.db');
}
