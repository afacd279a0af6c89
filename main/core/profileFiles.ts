import fs from 'node:fs';
import path from 'node:path';
import { log } from './log';

const logger = log('profile');

/** What in a profile holds personal data or secrets: readable by its owner only. */
const PRIVATE_FILES = ['vigie.sqlite', 'vigie.sqlite-wal', 'vigie.sqlite-shm', 'settings.json'];

/**
 * The profile folder 0700, the cache and the secrets 0600: other accounts on the machine read
 * neither the incidents nor the feed credentials and keys. Applied at every start, so profiles
 * created before (0755 folder, 0644 database) are tightened too. POSIX only: on Windows the
 * profile lives under the user's own %APPDATA%, whose ACL already does this.
 */
export function secureProfile(profileDir: string): void {
  if (process.platform === 'win32') return;
  const tighten = (target: string, mode: number) => {
    try {
      if ((fs.statSync(target).mode & 0o777) !== mode) fs.chmodSync(target, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file IT deployed read-only under another owner is theirs to set: say so once, never fail the start.
      if (code !== 'ENOENT') logger.warn({ reason: code }, `could not restrict ${target} to its owner (${code}); run chmod ${mode.toString(8)} on it.`);
    }
  };
  tighten(profileDir, 0o700);
  for (const name of PRIVATE_FILES) tighten(path.join(profileDir, name), 0o600);
  const secrets = path.join(profileDir, 'secrets');
  if (!fs.existsSync(secrets)) return;
  tighten(secrets, 0o700);
  for (const entry of fs.readdirSync(secrets, { withFileTypes: true })) if (entry.isFile()) tighten(path.join(secrets, entry.name), 0o600);
}
