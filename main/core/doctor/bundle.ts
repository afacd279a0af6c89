import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sqliteVersion } from '../db/sqliteInfo';
import { readCredentialsFile } from '../feeds/credentials';
import { logFiles } from '../log';
import { loadMachinePolicy, machinePolicyPath } from '../policy/machinePolicy';
import type { Finding } from './doctor';

/**
 * The support bundle IT attaches to a ticket: a .tar.gz (readable with any tar) of the doctor's
 * findings, versions, the profile's config and settings, the machine and role policies, and the
 * logs, with every secret removed: values under secret-like keys, passwords in URLs, and every
 * value of the credentials file or the hub secret wherever it appears, logs included. The
 * credentials and the secret files themselves are never read into it.
 */
const SECRET_KEY = /secret|passw|token|api.?key|^key$|credential|authori[sz]ation|cookie|bearer|private/i;
const REMOVED = '[removed]';

function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = url.username ? REMOVED : '';
      url.password = url.password ? REMOVED : '';
    }
    for (const key of [...url.searchParams.keys()]) if (SECRET_KEY.test(key)) url.searchParams.set(key, REMOVED);
    return url.toString();
  } catch {
    return value;
  }
}

/** A deep copy with secret-like keys' values replaced; the replaced values are added to `found`. */
export function redactJson(value: unknown, found: Set<string>, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && typeof value !== 'object') {
    if (typeof value === 'string') found.add(value);
    return REMOVED;
  }
  if (Array.isArray(value)) return value.map((v) => redactJson(v, found));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, found, k)]));
  return typeof value === 'string' ? redactUrl(value) : value;
}

function leaves(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, into);
}

function scrub(text: string, secrets: Set<string>): string {
  let out = text;
  // Longest first, so that a secret containing another is removed whole.
  for (const s of [...secrets].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join(REMOVED);
  return out;
}

function tarEntry(name: string, data: Buffer, mtime: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text.slice(0, length), offset, length, 'utf8');
  const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o600, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  header.fill(' ', 148, 156);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding]);
}

export interface BundleInput {
  profileDir: string;
  findings: Finding[];
  version: string;
  now?: number;
}

/** Writes the bundle to `file`; returns the names it holds. */
export function writeSupportBundle(file: string, input: BundleInput): string[] {
  const { profileDir } = input;
  const now = input.now ?? Date.now();
  const secrets = new Set<string>();
  // The values to hunt down everywhere: every credential, and the hub's shared secret.
  try {
    leaves(readCredentialsFile(profileDir), secrets);
  } catch {
    // An unreadable credentials file holds nothing we could leak either.
  }
  const readJson = (f: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch (error) {
      return fs.existsSync(f) ? { unreadable: (error as Error).message } : undefined;
    }
  };
  const config = readJson(path.join(profileDir, 'config.json')) as { hub?: { secretFile?: string } } | undefined;
  const hubSecret = config?.hub?.secretFile ? path.resolve(profileDir, config.hub.secretFile) : null;
  if (hubSecret && fs.existsSync(hubSecret)) secrets.add(fs.readFileSync(hubSecret, 'utf8').trim());

  const entries: { name: string; text: string }[] = [];
  const addJson = (name: string, value: unknown) => {
    if (value !== undefined) entries.push({ name, text: `${JSON.stringify(redactJson(value, secrets), null, 2)}\n` });
  };
  let sqlite = 'unknown';
  try {
    sqlite = sqliteVersion();
  } catch {
    // Reported as unknown.
  }
  addJson('doctor.json', { at: new Date(now).toISOString(), profileDir, findings: input.findings });
  addJson('versions.json', { vigie: input.version, node: process.versions.node, electron: process.versions.electron ?? null, sqlite, os: `${os.type()} ${os.release()} ${os.arch()}`, hostname: os.hostname() });
  addJson('config.json', config);
  addJson('settings.json', readJson(path.join(profileDir, 'settings.json')));
  addJson('policy.json', readJson(path.join(profileDir, 'policy.json')));
  const machine = loadMachinePolicy();
  addJson('machine-policy.json', { path: machinePolicyPath(), status: machine.status, ...(machine.status === 'applied' ? { policy: machine.policy } : {}), ...(machine.status === 'invalid' ? { error: machine.error } : {}) });
  for (const log of logFiles(path.join(profileDir, 'logs'))) entries.push({ name: `logs/${path.basename(log)}`, text: fs.readFileSync(log, 'utf8') });

  const tar = Buffer.concat([...entries.map((e) => tarEntry(`vigie-support/${e.name}`, Buffer.from(scrub(e.text, secrets)), now)), Buffer.alloc(1024)]);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(tar), { mode: 0o600 });
  return entries.map((e) => e.name);
}
