import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * How a feed proves who we are. Kept out of config.json (which IT copies around and people read)
 * in `<profile>/secrets/credentials.json`, readable by this user only, keyed by feed id. Used by
 * the data service when it connects; never part of a feed's status, never sent to a window.
 * Electron could wrap this file with safeStorage, but only its main process can, and the data
 * service runs apart from it: the file's permissions are the protection in both modes.
 */
export const FeedCredential = z.union([
  z.object({ basic: z.object({ username: z.string(), password: z.string() }) }),
  z.object({ bearer: z.string().min(1) }),
  z.object({ header: z.object({ name: z.string().regex(/^[A-Za-z0-9-]+$/), value: z.string() }) }),
]);
export type FeedCredential = z.infer<typeof FeedCredential>;
const CredentialsFile = z.record(z.string(), FeedCredential);

export function credentialsPath(profileDir: string): string {
  return path.join(profileDir, 'secrets', 'credentials.json');
}

/** Every feed's credential; a missing file is none. A file others can read is refused, with what to do. */
export function loadCredentials(profileDir: string): Record<string, FeedCredential> {
  const file = credentialsPath(profileDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} can be read by other users; run \`chmod 600 ${file}\` (or set it again with \`vigie credentials\`).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); set the credentials again with \`vigie credentials\`.`, { cause: error });
  }
  const parsed = CredentialsFile.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Sets (or, with null, removes) one feed's credential; the file is written 0600 and replaced atomically. */
export function saveCredential(profileDir: string, feedId: string, credential: FeedCredential | null): void {
  const all = loadCredentials(profileDir);
  if (credential) all[feedId] = credential;
  else delete all[feedId];
  const file = credentialsPath(profileDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The HTTP header a credential becomes. */
export function authHeader(credential: FeedCredential | undefined): Record<string, string> {
  if (!credential) return {};
  if ('basic' in credential) return { authorization: `Basic ${Buffer.from(`${credential.basic.username}:${credential.basic.password}`).toString('base64')}` };
  if ('bearer' in credential) return { authorization: `Bearer ${credential.bearer}` };
  return { [credential.header.name.toLowerCase()]: credential.header.value };
}

/** A URL fit for a message: user and password, if someone put them in it, are not repeated. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
    return u.href;
  } catch {
    return url;
  }
}
