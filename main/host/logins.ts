import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../common/domain/roles';
import { hashSecret, ScryptHash, secretMatches } from '../core/net/secretHash';
import { readJsonFile } from '../core/jsonFile';


/**
 * Per-person logins for a browser-mode server that several people open from their own browsers
 * (docs/security.md). `<profile>/logins.json`, written 0600, holds each person's role and a salted
 * scrypt hash of their password, never the password. With at least one login, `vigie serve` asks
 * everyone to log in at /login; each login yields a session token of its own, and every call of
 * that session is journaled under the person's name.
 */
const Name = z.string().regex(/^[\p{L}\p{N}._@-]{1,64}$/u, 'letters, digits, . _ @ - (at most 64)');
const File = z.object({
  version: z.literal(1),
  users: z.record(Name, z.object({ role: Role, hash: ScryptHash })),
});
export type LoginsFile = z.infer<typeof File>;

export function loginsPath(profileDir: string): string {
  return path.join(profileDir, 'logins.json');
}

export function loadLogins(file: string): LoginsFile | null {
  return fs.existsSync(file) ? readJsonFile(file, File) : null;
}

function save(file: string, logins: LoginsFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** A password people can type: 4 groups of 4 from an alphabet without look-alikes (≈ 80 bits). */
export function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('').replace(/(.{4})(?!$)/g, '$1-');
}

/** Adds a person, or gives an existing one a new role and password; returns the password (shown once). */
export function setLogin(file: string, name: string, role: Role, password = newPassword()): string {
  if (!Name.safeParse(name).success) throw new Error(`user name "${name}": letters, digits, . _ @ - (at most 64)`);
  if (password.length < 12) throw new Error('a password of at least 12 characters');
  const logins = loadLogins(file) ?? { version: 1, users: {} };
  logins.users[name] = { role, hash: hashSecret(password) };
  save(file, logins);
  return password;
}

export function removeLogin(file: string, name: string): boolean {
  const logins = loadLogins(file);
  if (!logins || !Object.hasOwn(logins.users, name)) return false;
  delete logins.users[name];
  save(file, logins);
  return true;
}

/** The person's role when the password is theirs (scrypt on the thread pool; an unknown name costs the same). */
export async function checkLogin(logins: LoginsFile, name: string, password: string): Promise<Role | null> {
  const entry = Object.hasOwn(logins.users, name) ? logins.users[name] : undefined;
  return entry && (await secretMatches(entry.hash, password)) ? entry.role : null;
}

export interface Session {
  user: string;
  role: Role;
  expires: number;
}

/** Sessions in memory, keyed by the SHA-256 of their token: a restart logs everyone out. */
export class Sessions {
  private readonly byDigest = new Map<string, Session>();
  private readonly failures = new Map<string, { n: number; since: number }>();

  constructor(
    private readonly ttlMs = 12 * 3600 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private static digest(token: string): string {
    return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
  }

  open(user: string, role: Role): string {
    // Expired sessions go when new ones open, so the map stays bounded by the sessions of 12 h.
    if (this.byDigest.size > 1000) for (const [digest, s] of this.byDigest) if (s.expires < this.now()) this.byDigest.delete(digest);
    const token = crypto.randomBytes(32).toString('base64url');
    this.byDigest.set(Sessions.digest(token), { user, role, expires: this.now() + this.ttlMs });
    return token;
  }

  find(token: string): Session | null {
    const session = this.byDigest.get(Sessions.digest(token));
    if (!session) return null;
    if (session.expires < this.now()) {
      this.byDigest.delete(Sessions.digest(token));
      return null;
    }
    return session;
  }

  /** At most 10 failed logins per address in 5 minutes. */
  mayTry(address: string): boolean {
    const f = this.failures.get(address);
    if (!f || this.now() - f.since > 5 * 60_000) return true;
    return f.n < 10;
  }

  failed(address: string): void {
    const f = this.failures.get(address);
    if (!f || this.now() - f.since > 5 * 60_000) this.failures.set(address, { n: 1, since: this.now() });
    else f.n++;
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}

/** The login page: plain HTML, no script, dark, in French and English. */
export function loginPage(error: 'wrong' | 'limited' | null): string {
  const message =
    error === 'wrong' ? '<p class="err" role="alert">Identifiant ou mot de passe incorrect. / Wrong user name or password.</p>'
    : error === 'limited' ? '<p class="err" role="alert">Trop d’essais : attendez 5 minutes. / Too many attempts: wait 5 minutes.</p>'
    : '';
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Vigie — connexion / log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { background: #0b1118; color: #dfe7ef; font: 14px system-ui, sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; }
form { background: #131c26; border: 1px solid #263443; border-radius: 8px; padding: 24px 28px; width: 320px; }
h1 { font-size: 18px; margin: 0 0 16px; } label { display: block; margin: 12px 0 4px; color: #9fb0c0; }
input { width: 100%; box-sizing: border-box; padding: 8px; background: #0b1118; color: #dfe7ef; border: 1px solid #33465a; border-radius: 4px; font-size: 14px; }
input:focus, button:focus { outline: 2px solid #5fb3ff; outline-offset: 1px; }
button { margin-top: 18px; width: 100%; padding: 9px; background: #1f6fb8; color: #fff; border: 0; border-radius: 4px; font-size: 14px; cursor: pointer; }
.err { color: #ffb4ae; } .note { color: #7f91a3; font-size: 12px; margin-top: 14px; }
</style></head>
<body><form method="post" action="/login" autocomplete="on">
<h1>Vigie — connexion / log in</h1>${message}
<label for="user">Identifiant / User name</label><input id="user" name="user" autocomplete="username" required autofocus maxlength="64">
<label for="password">Mot de passe / Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Se connecter / Log in (Entrée / Enter)</button>
<p class="note">Chaque action est journalisée à votre nom. / Every action is journaled under your name.</p>
</form></body></html>`;
}
