import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialsPath, encryptedCredentialsPath, saveCredential } from '../core/feeds/credentials';
import { credentialsHandover, type Cipher } from './credentialVault';
import { tempDir } from '../../test/helpers';

/**
 * Electron's safeStorage exists only inside Electron (not installed here): the keychain is stood
 * in for by AES-256-GCM under a key of its own, which is what the OS keychain holds for the app.
 */
function keychain(key = crypto.randomBytes(32), available = true): Cipher {
  return {
    available: () => available,
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(bytes) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      d.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([d.update(bytes.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('feed credentials in the desktop app (Electron main, OS keychain)', () => {
  it('moves what `vigie credentials` wrote into the encrypted file, deletes the plain one, and hands the credentials over', () => {
    const dir = tempDir('vigie-3-vault-');
    const chain = keychain();
    saveCredential(dir, 'city', { bearer: 's3cret-token' });
    const message = credentialsHandover(dir, chain);
    expect(message).toEqual({ type: 'credentials', storage: 'os-keychain', credentials: { city: { bearer: 's3cret-token' } } });
    expect(fs.existsSync(credentialsPath(dir))).toBe(false);
    expect(fs.statSync(encryptedCredentialsPath(dir)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(encryptedCredentialsPath(dir)).toString('latin1')).not.toContain('s3cret');
    // The next start reads them back from the keychain alone.
    expect(credentialsHandover(dir, chain).credentials).toEqual({ city: { bearer: 's3cret-token' } });
  });

  it('applies a later `vigie credentials --remove` and a new credential to the encrypted copy', () => {
    const dir = tempDir('vigie-3-vault-');
    const chain = keychain();
    saveCredential(dir, 'city', { bearer: 'a' });
    saveCredential(dir, 'tak', { basic: { username: 'u', password: 'p' } });
    credentialsHandover(dir, chain);
    saveCredential(dir, 'city', null);
    saveCredential(dir, 'cams', { header: { name: 'X-Api-Key', value: 'k' } });
    expect(credentialsHandover(dir, chain).credentials).toEqual({ tak: { basic: { username: 'u', password: 'p' } }, cams: { header: { name: 'X-Api-Key', value: 'k' } } });
    expect(fs.existsSync(credentialsPath(dir))).toBe(false);
  });

  it('keeps the 0600 file, and says why, where there is no keychain or it cannot decrypt', () => {
    const dir = tempDir('vigie-3-vault-');
    saveCredential(dir, 'city', { bearer: 'a' });
    expect(credentialsHandover(dir, keychain(undefined, false))).toEqual({ type: 'credentials', storage: 'file', note: expect.stringMatching(/no OS keychain/) });
    expect(fs.existsSync(credentialsPath(dir))).toBe(true);

    credentialsHandover(dir, keychain());
    const other = credentialsHandover(dir, keychain());
    expect(other).toMatchObject({ storage: 'file', note: expect.stringMatching(/cannot be decrypted with this user's keychain/) });
    expect(other.credentials).toBeUndefined();
  });
});
