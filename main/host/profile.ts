import os from 'node:os';
import path from 'node:path';

/** Where a profile lives when --profile is not given: the OS's per-user data folder. */
export function defaultProfileDir(): string {
  if (process.env.VIGIE_PROFILE) return path.resolve(process.env.VIGIE_PROFILE);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vigie', 'profiles', 'default');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Vigie', 'profiles', 'default');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'vigie', 'profiles', 'default');
}
