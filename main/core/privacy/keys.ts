import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createMinimiser, type Minimiser } from './minimise';
import type { PrivacyPolicy } from './policy';

/**
 * The profile's pseudonymisation key. Kept out of the database (a copied cache must not carry the
 * means to link pseudonyms back) in a file only this user can read; never sent to a window.
 */
export function loadPseudonymKey(profileDir: string): Buffer {
  const dir = path.join(profileDir, 'secrets');
  const file = path.join(dir, 'pseudonym.key');
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read the pseudonymisation key ${file}: ${(error as Error).message}. Check its permissions.`, { cause: error });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  // wx: two processes starting at once must not each write their own key.
  try {
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file);
    throw error;
  }
  return key;
}

/** Each feed's privacy policy, with the profile's pseudonymisation key read only if some feed needs it. */
export function minimisersFor(profileDir: string): (feed: { id: string; privacy: PrivacyPolicy }) => Minimiser {
  let key: Buffer | null = null;
  return (feed) => {
    const needsKey = Object.values(feed.privacy.fields).includes('pseudonymise');
    if (needsKey && !key) key = loadPseudonymKey(profileDir);
    return createMinimiser(feed.id, feed.privacy, key ?? Buffer.alloc(0));
  };
}
