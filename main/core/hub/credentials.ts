import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../../common/domain/roles';
import { hashSecret, ScryptHash, secretMatches } from '../net/secretHash';
import { readJsonFile } from '../jsonFile';

/**
 * The hub's own policy (`hub-credentials.json`, written 0600):
 * - which workstations may connect: each has an id and a secret, of which the hub keeps only a
 *   salted scrypt hash, and the users it may speak for;
 * - which users exist and their role. The hub decides every action's role from this file: what a
 *   seat claims is a hint that must agree (docs/security.md).
 */
const Id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)');
const File = z.object({
  version: z.literal(1),
  workstations: z.record(Id, z.object({ hash: ScryptHash, users: z.array(z.string().min(1).max(200)).default([]) })),
  users: z.record(z.string().min(1).max(200), Role).default({}),
});
export type HubCredentials = z.infer<typeof File>;

export function loadHubCredentials(file: string): HubCredentials {
  if (!fs.existsSync(file)) throw new Error(`No hub credentials file at ${file}: add workstations with \`vigie hub add-workstation ID --credentials ${file}\`.`);
  return readJsonFile(file, File);
}

/**
 * True when the secret is this workstation's. Asynchronous: scrypt runs on libuv's thread pool,
 * so a flood of bad attempts never blocks the event loop that serves the other seats.
 */
export async function verifyWorkstation(credentials: HubCredentials, workstation: string, secret: string): Promise<boolean> {
  const entry = Object.hasOwn(credentials.workstations, workstation) ? credentials.workstations[workstation] : undefined;
  return secretMatches(entry?.hash, secret);
}

/** The hub's answer to "may this workstation act for this user, with this role". */
export type Authority = { ok: true; role: Role } | { ok: false; why: string };

export function authorise(credentials: HubCredentials, workstation: string, user: string, claimedRole: string): Authority {
  const role = Object.hasOwn(credentials.users, user) ? credentials.users[user] : undefined;
  if (!role) return { ok: false, why: `the hub does not know the user "${user}"; IT adds them with \`vigie hub add-user ${user} --role ROLE --workstations ${workstation}\`` };
  const seat = Object.hasOwn(credentials.workstations, workstation) ? credentials.workstations[workstation] : undefined;
  if (!seat?.users.includes(user)) return { ok: false, why: `workstation ${workstation} may not act for ${user} (not in its users at the hub)` };
  if (claimedRole !== role) return { ok: false, why: `${user} is ${role} at the hub, not ${claimedRole}` };
  return { ok: true, role };
}

interface Bucket {
  attempts: number;
  since: number;
}

/**
 * Who may try to log in to the hub, and how often: at most `limit` attempts that have not yet
 * succeeded per address and per workstation id within `windowMs`; past it, a 429 at once, with no
 * scrypt at all. A success clears both buckets. At most `parallel` scrypts run at once (the thread
 * pool stays free for the rest of the hub), with bounded queues, registered workstation ids before
 * made-up ones (each queue bounded on its own); past it, a 503 at once and the seat retries.
 */
export class HubGate {
  private readonly byAddress = new Map<string, Bucket>();
  private readonly byWorkstation = new Map<string, Bucket>();
  private running = 0;
  private readonly known: (() => void)[] = [];
  private readonly unknown: (() => void)[] = [];
  static readonly parallel = 2;
  static readonly maxQueued = 32;

  constructor(
    private readonly credentials: () => HubCredentials,
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private take(map: Map<string, Bucket>, key: string): boolean {
    const t = this.now();
    let bucket = map.get(key);
    if (!bucket || t - bucket.since > this.windowMs) {
      bucket = { attempts: 0, since: t };
      map.set(key, bucket);
    }
    if (bucket.attempts >= this.limit) return false;
    bucket.attempts++;
    // Bounded memory under a flood from many addresses: old buckets go first.
    if (map.size > 10_000) for (const [k, b] of map) if (t - b.since > this.windowMs) map.delete(k);
    return true;
  }

  async admit(address: string, workstation: string, secret: string): Promise<{ ok: true } | { ok: false; status: 401 | 429 | 503; why: string }> {
    if (!this.take(this.byAddress, address)) return { ok: false, status: 429, why: `too many attempts from ${address}; wait a minute` };
    if (!this.take(this.byWorkstation, workstation)) return { ok: false, status: 429, why: `too many attempts for workstation ${workstation}; wait a minute` };
    if (workstation === '' || secret === '') return { ok: false, status: 401, why: 'unknown workstation or wrong secret' };
    const credentials = this.credentials();
    const registered = Object.hasOwn(credentials.workstations, workstation);
    if (this.running >= HubGate.parallel) {
      const queue = registered ? this.known : this.unknown;
      if (queue.length >= HubGate.maxQueued) return { ok: false, status: 503, why: 'the hub is busy checking logins; retry in a few seconds' };
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    this.running++;
    let ok: boolean;
    try {
      ok = await verifyWorkstation(credentials, workstation, secret);
    } finally {
      this.running--;
      (this.known.shift() ?? this.unknown.shift())?.();
    }
    if (!ok) return { ok: false, status: 401, why: 'unknown workstation or wrong secret' };
    this.byAddress.delete(address);
    this.byWorkstation.delete(workstation);
    return { ok: true };
  }
}

function save(file: string, current: HubCredentials): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function open(file: string): HubCredentials {
  return fs.existsSync(file) ? loadHubCredentials(file) : { version: 1, workstations: {}, users: {} };
}

/**
 * Adds (or replaces) a workstation; returns its new secret, which is stored nowhere else. `users`:
 * whom it may act for (kept from its previous entry when not given).
 */
export function addWorkstation(file: string, workstation: string, users?: string[]): string {
  const current = open(file);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(workstation)) throw new Error(`workstation id "${workstation}": letters, digits, . _ - (at most 64)`);
  const secret = crypto.randomBytes(24).toString('base64url');
  const before = Object.hasOwn(current.workstations, workstation) ? current.workstations[workstation]!.users : [];
  current.workstations[workstation] = { hash: hashSecret(secret), users: users ?? before };
  save(file, current);
  return secret;
}

/** Adds (or changes) a user's role at the hub, and the workstations that may act for them. */
export function addHubUser(file: string, user: string, role: Role, workstations: string[]): void {
  const current = open(file);
  if (!Role.safeParse(role).success) throw new Error(`role "${role}": expected one of ${Role.options.join(', ')}`);
  if (!user || user.length > 200) throw new Error('a user name of 1 to 200 characters');
  for (const ws of workstations) {
    if (!Object.hasOwn(current.workstations, ws)) throw new Error(`no workstation "${ws}" in ${file}: add it first with \`vigie hub add-workstation ${ws}\``);
  }
  current.users[user] = role;
  for (const ws of workstations) {
    const seat = current.workstations[ws]!;
    if (!seat.users.includes(user)) seat.users.push(user);
  }
  save(file, current);
}
