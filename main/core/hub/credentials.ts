import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Which workstations may connect to a hub: each has an id and a secret, of which the hub keeps
 * only a salted scrypt hash (`hub-credentials.json`, written 0600). A workstation presents its id
 * and secret when it connects; anything else is refused before the WebSocket opens.
 */
const File = z.object({
  version: z.literal(1),
  workstations: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'), z.object({ hash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/) })),
});
export type HubCredentials = z.infer<typeof File>;

export function loadHubCredentials(file: string): HubCredentials {
  if (!fs.existsSync(file)) throw new Error(`No hub credentials file at ${file}: add workstations with \`vigie hub add-workstation ID --credentials ${file}\`.`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = File.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function hash(secret: string, salt = crypto.randomBytes(16)): string {
  return `scrypt$${salt.toString('base64')}$${crypto.scryptSync(secret, salt, 32).toString('base64')}`;
}

/** True when the secret is this workstation's (constant time). */
export function verifyWorkstation(credentials: HubCredentials, workstation: string, secret: string): boolean {
  const entry = Object.hasOwn(credentials.workstations, workstation) ? credentials.workstations[workstation] : undefined;
  // A made-up id costs the same as a real one, so ids cannot be probed by timing.
  const [, salt, expected] = (entry?.hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAA').split('$') as [string, string, string];
  const got = crypto.scryptSync(secret, Buffer.from(salt, 'base64'), 32);
  const want = Buffer.from(expected, 'base64');
  return entry !== undefined && want.length === got.length && crypto.timingSafeEqual(got, want);
}

/** Adds (or replaces) a workstation; returns its new secret, which is stored nowhere else. */
export function addWorkstation(file: string, workstation: string): string {
  const current: HubCredentials = fs.existsSync(file) ? loadHubCredentials(file) : { version: 1, workstations: {} };
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(workstation)) throw new Error(`workstation id "${workstation}": letters, digits, . _ - (at most 64)`);
  const secret = crypto.randomBytes(24).toString('base64url');
  current.workstations[workstation] = { hash: hash(secret) };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return secret;
}
