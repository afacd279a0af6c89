import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * How a feed proves who we are. Kept out of config.json (which IT copies around and people read),
 * keyed by feed id, used by the data service when it connects; never part of a feed's status,
 * never sent to a window. Two places, one per mode (docs/deploy.md):
 *  - the desktop app: `<profile>/secrets/credentials.enc`, encrypted with the OS keychain through
 *    Electron's safeStorage. Only Electron's main process can use safeStorage, and the data service
 *    runs apart from it, so main decrypts at start and hands the credentials over the service's
 *    port (main/electron/credentialVault.ts); the service never reads that file.
 *  - browser mode, the CLI, and a desktop without a usable keychain: `<profile>/secrets/credentials.json`,
 *    readable by this user only (0600), not encrypted. `vigie credentials` always writes here; the
 *    desktop app moves what it finds into the encrypted file at its next start.
 */
export const FeedCredential = z.union([
  z.object({ basic: z.object({ username: z.string(), password: z.string() }) }),
  z.object({ bearer: z.string().min(1) }),
  z.object({ header: z.object({ name: z.string().regex(/^[A-Za-z0-9-]+$/), value: z.string() }) }),
  // A client certificate (TAK servers): PKCS#12 as base64, or PEM certificate and key; `ca` is the server's CA (PEM).
  z.object({
    tls: z
      .object({ pfx: z.string().min(1).optional(), cert: z.string().min(1).optional(), key: z.string().min(1).optional(), passphrase: z.string().optional(), ca: z.string().min(1).optional() })
      .refine((t) => !!t.pfx || (!!t.cert && !!t.key), 'give either pfx (PKCS#12, base64) or both cert and key (PEM)'),
  }),
]);
export type FeedCredential = z.infer<typeof FeedCredential>;
export const CredentialsMap = z.record(z.string(), FeedCredential);
/** `null`: "remove this feed's credential" (`vigie credentials --remove`), for the desktop app to apply to its encrypted copy. */
const CredentialsFile = z.record(z.string(), FeedCredential.nullable());

export type CredentialStorage = 'file' | 'os-keychain';

/** What Electron's main process sends the data service at start, before any feed runs. */
export const CredentialsHandover = z.object({
  type: z.literal('credentials'),
  storage: z.enum(['file', 'os-keychain']),
  /** The decrypted credentials (os-keychain only); with 'file' the service reads its 0600 file. */
  credentials: CredentialsMap.optional(),
  /** Why the keychain is not used, or what went wrong with it, for the Feeds panel. */
  note: z.string().optional(),
});
export type CredentialsHandover = z.infer<typeof CredentialsHandover>;

export function encryptedCredentialsPath(profileDir: string): string {
  return path.join(profileDir, 'secrets', 'credentials.enc');
}

export function credentialsPath(profileDir: string): string {
  return path.join(profileDir, 'secrets', 'credentials.json');
}

/** Every feed's credential; a missing file is none. A file others can read is refused, with what to do. */
export function loadCredentials(profileDir: string): Record<string, FeedCredential> {
  const all = readCredentialsFile(profileDir);
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, FeedCredential] => e[1] !== null));
}

/** The file as written, removals (null) included. */
export function readCredentialsFile(profileDir: string): Record<string, FeedCredential | null> {
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

/**
 * Sets (or, with null, removes) one feed's credential; the file is written 0600 and replaced
 * atomically. Where the desktop app keeps an encrypted copy, a removal is written as null, so that
 * the app removes the feed's credential from it too at its next start.
 */
export function saveCredential(profileDir: string, feedId: string, credential: FeedCredential | null): void {
  const all = readCredentialsFile(profileDir);
  if (credential) all[feedId] = credential;
  else if (fs.existsSync(encryptedCredentialsPath(profileDir))) all[feedId] = null;
  else delete all[feedId];
  writeSecretFile(credentialsPath(profileDir), `${JSON.stringify(all, null, 2)}\n`);
}

/** Writes a file only this user can read, replacing the old one atomically. */
export function writeSecretFile(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The credentials the data service uses: its 0600 file, unless Electron's main process handed
 * over the ones it decrypted from the OS keychain.
 */
export class FeedCredentials {
  private all: Record<string, FeedCredential>;
  private storage: CredentialStorage = 'file';
  private note: string | null = null;

  constructor(private readonly profileDir: string) {
    this.all = loadCredentials(profileDir);
  }

  get(feedId: string): FeedCredential | undefined {
    return this.all[feedId];
  }

  /** Applies main's handover; a malformed one is refused and the file stays in use. */
  handOver(message: unknown): void {
    const parsed = CredentialsHandover.safeParse(message);
    if (!parsed.success) {
      this.note = 'the desktop app handed over unreadable credentials; they were not used';
      return;
    }
    this.note = parsed.data.note ?? null;
    if (parsed.data.storage === 'os-keychain' && parsed.data.credentials) {
      this.storage = 'os-keychain';
      this.all = parsed.data.credentials;
    }
  }

  /** For the Feeds panel: where credentials live and which feeds have one; never a secret. */
  describe(): { storage: CredentialStorage; location: string; feeds: string[]; note?: string } {
    return {
      storage: this.storage,
      location: this.storage === 'os-keychain' ? encryptedCredentialsPath(this.profileDir) : credentialsPath(this.profileDir),
      feeds: Object.keys(this.all).sort(),
      ...(this.note ? { note: this.note } : {}),
    };
  }
}

/** The HTTP header a credential becomes. */
export function authHeader(credential: FeedCredential | undefined): Record<string, string> {
  if (!credential) return {};
  if ('basic' in credential) return { authorization: `Basic ${Buffer.from(`${credential.basic.username}:${credential.basic.password}`).toString('base64')}` };
  if ('bearer' in credential) return { authorization: `Bearer ${credential.bearer}` };
  // A client certificate proves who we are in the TLS handshake, not in a header.
  if ('tls' in credential) return {};
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
