import fs from 'node:fs';
import {
  CredentialsMap,
  credentialsPath,
  encryptedCredentialsPath,
  readCredentialsFile,
  writeSecretFile,
  type CredentialsHandover,
  type FeedCredential,
} from '../core/feeds/credentials';

/**
 * The OS keychain as Electron's safeStorage offers it, to Electron's main process only
 * (main.ts passes the real one; this file does not import electron, so it runs in tests too).
 */
export interface Cipher {
  /** False where there is no real keychain (Linux without a secret service: "basic_text"). */
  available(): boolean;
  encrypt(plain: string): Uint8Array;
  decrypt(encrypted: Buffer): string;
}

/**
 * Runs in Electron's main process when it starts the data service: decrypts
 * `<profile>/secrets/credentials.enc`, folds in what `vigie credentials` wrote to the 0600 file
 * since (new credentials, and removals written as null), re-encrypts, deletes the plain file, and
 * returns the message main posts to the service before its feeds start. Without a keychain the
 * 0600 file stays the store, and the message says why, for the Feeds panel.
 */
export function credentialsHandover(profileDir: string, cipher: Cipher): CredentialsHandover {
  const vault = encryptedCredentialsPath(profileDir);
  const plainFile = credentialsPath(profileDir);
  if (!cipher.available()) {
    return { type: 'credentials', storage: 'file', note: 'no OS keychain is available to the desktop app; the 0600 file is used' };
  }
  let stored: Record<string, FeedCredential> = {};
  if (fs.existsSync(vault)) {
    try {
      stored = CredentialsMap.parse(JSON.parse(cipher.decrypt(fs.readFileSync(vault))));
    } catch (error) {
      // Another user's or another machine's keychain: leave the file for IT, use the 0600 file meanwhile.
      return { type: 'credentials', storage: 'file', note: `${vault} cannot be decrypted with this user's keychain (${(error as Error).message}); set the credentials again with vigie credentials` };
    }
  }
  let pending: Record<string, FeedCredential | null>;
  try {
    pending = readCredentialsFile(profileDir);
  } catch (error) {
    return { type: 'credentials', storage: 'os-keychain', credentials: stored, note: `${plainFile} was not read: ${(error as Error).message}` };
  }
  if (Object.keys(pending).length > 0 || !fs.existsSync(vault)) {
    for (const [feedId, credential] of Object.entries(pending)) {
      if (credential) stored[feedId] = credential;
      else delete stored[feedId];
    }
    writeSecretFile(vault, cipher.encrypt(JSON.stringify(stored)));
    // Only once the encrypted copy is safely in place.
    fs.rmSync(plainFile, { force: true });
  }
  return { type: 'credentials', storage: 'os-keychain', credentials: stored };
}
