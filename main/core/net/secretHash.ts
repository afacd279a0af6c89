import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { secretEquals } from './guard';

const scrypt = promisify(crypto.scrypt) as (secret: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** How a secret is stored (hub workstation secrets, browser-mode passwords): never the secret itself. */
export const ScryptHash = z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);

/** `scrypt$salt$key`, with a fresh 16-byte salt. Synchronous: only IT's commands make hashes. */
export function hashSecret(secret: string, salt = crypto.randomBytes(16)): string {
  return `scrypt$${salt.toString('base64')}$${crypto.scryptSync(secret, salt, 32).toString('base64')}`;
}

/**
 * True when the secret matches the stored hash. Asynchronous (scrypt on libuv's thread pool), so a
 * flood of bad attempts never blocks the event loop; an unknown entry (`stored` undefined) costs
 * the same as a real one, so names cannot be probed by timing.
 */
export async function secretMatches(stored: string | undefined, secret: string): Promise<boolean> {
  const [, salt, expected] = (stored ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAA').split('$') as [string, string, string];
  const got = await scrypt(secret.slice(0, 1024), Buffer.from(salt, 'base64'), 32);
  // Compared as fixed-length digests (secretEquals): a short or odd stored value cannot throw.
  return stored !== undefined && secretEquals(got.toString('base64'), expected);
}
