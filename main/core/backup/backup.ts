import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { logAndJournalCounts } from '../db/sqliteInfo';
import { log } from '../log';
import { loadMachinePolicy } from '../policy/machinePolicy';

const logger = log('backup');

/**
 * A backup is a folder <dir>/vigie-<UTC stamp>/ holding a consistent copy of the profile's SQLite
 * cache, made with SQLite's online backup API while the service keeps writing (the event log,
 * projections and the audit journal are one file, so they are copied at one instant), the
 * profile's small JSON files, and manifest.json (what, when, from which schema, and the copy's
 * SHA-256, checked before any restore). Secrets (secrets/) are not copied: credentials are entered
 * again after a restore, so a stolen backup holds no feed password.
 */
export const BACKUP_PREFIX = 'vigie-';
const DATABASE = 'vigie.sqlite';
/** The profile's settings that a restore brings back with the cache. */
const PROFILE_FILES = ['config.json', 'settings.json', 'policy.json', 'forecast-checks.json'];

export interface BackupManifest {
  format: 1;
  createdAt: string;
  profileDir: string;
  schemaVersion: number;
  events: number;
  journalRows: number;
  bytes: number;
  sha256: string;
  files: string[];
  ms: number;
}

export interface BackupInfo {
  dir: string;
  createdAt: number;
  manifest: BackupManifest | null;
}

/** Where backups go: the policy's backup.dir (relative to the profile), else <profile>/backups. */
export function backupDir(profileDir: string, configured?: string): string {
  return configured ? path.resolve(profileDir, configured) : path.join(profileDir, 'backups');
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z');
}

function sha256(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Backs up a live profile (the service may be running and ingesting). */
export async function backupProfile(profileDir: string, dir: string, now = Date.now()): Promise<BackupInfo> {
  const source = path.join(profileDir, DATABASE);
  if (!fs.existsSync(source)) throw new Error(`no Vigie profile at ${profileDir} (${source} is missing): nothing to back up`);
  const started = performance.now();
  const target = path.join(dir, `${BACKUP_PREFIX}${stamp(now)}`);
  const partial = `${target}.partial`;
  fs.mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    // A connection of its own. The backup API restarts from the first page whenever another
    // connection writes between two steps: a service ingesting every second would starve a
    // page-by-page copy, so after the first step every remaining page goes in one step, under one
    // read snapshot (WAL: the service keeps writing meanwhile), and the copy is one instant.
    const db = new Database(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      await db.backup(path.join(partial, DATABASE), { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
    } finally {
      db.close();
    }
    const copy = new Database(path.join(partial, DATABASE));
    let facts: { schemaVersion: number; events: number; journalRows: number };
    try {
      // The copy is a self-contained file: no -wal beside it.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its check (${String(check)})`);
      facts = {
        schemaVersion: copy.pragma('user_version', { simple: true }) as number,
        ...logAndJournalCounts(copy),
      };
    } finally {
      copy.close();
    }
    const files = [DATABASE];
    for (const name of PROFILE_FILES) {
      const from = path.join(profileDir, name);
      if (fs.existsSync(from)) {
        fs.copyFileSync(from, path.join(partial, name));
        files.push(name);
      }
    }
    const file = path.join(partial, DATABASE);
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date(now).toISOString(),
      profileDir,
      ...facts,
      bytes: fs.statSync(file).size,
      sha256: sha256(file),
      files,
      ms: Math.round(performance.now() - started),
    };
    fs.writeFileSync(path.join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    // Only a complete backup gets its final name: a crash mid-way leaves a .partial, never a bad backup.
    fs.renameSync(partial, target);
    logger.info({ dir: target, bytes: manifest.bytes, events: manifest.events, ms: manifest.ms }, 'profile backed up');
    return { dir: target, createdAt: now, manifest };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** The newest backup of a profile, where the policy or the default puts them, or null. */
export function lastBackupOf(profileDir: string): BackupInfo | null {
  const policy = loadMachinePolicy();
  const configured = policy.status === 'applied' ? policy.policy.backup?.dir : undefined;
  return listBackups(backupDir(profileDir, configured))[0] ?? null;
}

/** The backups in a folder, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(BACKUP_PREFIX) && !name.endsWith('.partial') && fs.existsSync(path.join(dir, name, DATABASE)))
    .map((name) => {
      const folder = path.join(dir, name);
      let manifest: BackupManifest | null = null;
      try {
        manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as BackupManifest;
      } catch {
        // A backup without a readable manifest is listed by its folder's time; restore refuses it.
      }
      const createdAt = manifest ? Date.parse(manifest.createdAt) : fs.statSync(folder).mtimeMs;
      return { dir: folder, createdAt, manifest };
    })
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** Keeps the newest `keep` backups and deletes the others; returns the deleted folders. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(Math.max(1, keep));
  for (const b of old) fs.rmSync(b.dir, { recursive: true, force: true });
  return old.map((b) => b.dir);
}

export interface RestoreResult {
  restored: string;
  /** Where the database that was there went (kept, never deleted), or null. */
  setAside: string | null;
  manifest: BackupManifest;
}

/**
 * Restores a backup into a profile. The backup is checked first (manifest, SHA-256, quick_check);
 * a database already in the profile is moved aside, never overwritten. The service must be stopped.
 */
export function restoreProfile(backup: string, profileDir: string, now = Date.now()): RestoreResult {
  const manifestFile = path.join(backup, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${backup} is not a Vigie backup (no manifest.json); \`vigie backup --list\` shows the backups`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  const file = path.join(backup, DATABASE);
  if (!fs.existsSync(file)) throw new Error(`${backup} holds no ${DATABASE}: the backup is incomplete; restore an older one`);
  if (sha256(file) !== manifest.sha256) throw new Error(`${file} does not match its manifest's SHA-256: the backup was altered or damaged; restore an older one`);
  const check = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file} fails SQLite's quick_check (${String(result)}); restore an older one`);
  } finally {
    check.close();
  }
  fs.mkdirSync(profileDir, { recursive: true });
  const target = path.join(profileDir, DATABASE);
  let setAside: string | null = null;
  if (fs.existsSync(target)) {
    setAside = `${target}.before-restore-${stamp(now)}`;
    fs.renameSync(target, setAside);
    for (const ext of ['-wal', '-shm']) if (fs.existsSync(target + ext)) fs.renameSync(target + ext, setAside + ext);
  }
  fs.copyFileSync(file, `${target}.restoring`);
  fs.renameSync(`${target}.restoring`, target);
  for (const name of manifest.files.filter((f) => f !== DATABASE)) {
    const dest = path.join(profileDir, name);
    if (fs.existsSync(dest)) fs.copyFileSync(dest, `${dest}.before-restore-${stamp(now)}`);
    fs.copyFileSync(path.join(backup, name), dest);
  }
  logger.warn({ backup, profileDir, setAside }, 'profile restored from a backup');
  return { restored: target, setAside, manifest };
}
