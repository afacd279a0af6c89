import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index';
import { watchSlowQueries } from './slowQuery';
import { lastBackupOf } from '../backup/backup';

export type Db = Database.Database;

export class DatabaseFromTheFutureError extends Error {
  override name = 'DatabaseFromTheFutureError';
}

/** The file fails SQLite's quick_check (or is not a database at all): refused before anything is written. */
export class DamagedDatabaseError extends Error {
  override name = 'DamagedDatabaseError';
  /** The newest backup of the profile, if any: what the Electron dialog and the CLI point to. */
  readonly lastBackup: { dir: string; createdAt: number } | null;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    const backup = lastBackupOf(path.dirname(file));
    super(
      `${file} is damaged (${problem}); Vigie did not open it and changed nothing. ` +
        (backup
          ? `The last backup is ${backup.dir} (${new Date(backup.createdAt).toISOString()}): stop Vigie and run \`vigie restore --from ${backup.dir} --profile ${path.dirname(file)}\` (the damaged file is kept aside), then \`vigie doctor\`.`
          : 'No backup of this profile was found: keep the file for IT, and start on a new profile (--profile) or restore a copy from elsewhere; `vigie doctor` says more.'),
    );
    this.lastBackup = backup ? { dir: backup.dir, createdAt: backup.createdAt } : null;
  }
}

const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

/**
 * SQLite's quick_check (the b-trees and their pages, not index contents): "ok" or the first
 * problem. Only damage is answered; an I/O error (a full or failing disk) is thrown as it is, so
 * that a full disk is never mistaken for a damaged file.
 */
export function quickCheck(db: Db): string {
  try {
    // Several lines ("*** in database main ***\nTree 2 page 284: …"): one line, for messages and logs.
    return String(db.pragma('quick_check(1)', { simple: true })).replace(/\s*\n\s*/g, ' ');
  } catch (error) {
    if (DAMAGED.has((error as { code?: string }).code ?? '')) return (error as Error).message;
    throw error;
  }
}

/**
 * Opens (creating if needed) a profile's SQLite cache and brings its schema up to date.
 * WAL so readers never block the feed writer; synchronous=NORMAL is durable across application
 * crashes in WAL mode, and only an OS crash can lose the last transactions.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  // Under Electron the addon must match Electron's ABI: `npm run setup` builds that copy (see scripts/setup.mjs).
  const nativeBinding = process.versions.electron ? process.env.VIGIE_SQLITE_BINDING : undefined;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    // Refuse a file from the future, or a damaged one, before anything (even the journal mode) is written to it.
    refuseNewer(db, migrations, file);
    if (file !== ':memory:') {
      const check = quickCheck(db);
      if (check !== 'ok') throw new DamagedDatabaseError(file, `SQLite quick_check: ${check}`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MB of page cache (default 2 MB): feed ingest touches the event log's and projections' indexes
    // at random; with the default, a million-row cache spends its time re-reading pages (bench/ingest.mjs).
    db.pragma('cache_size = -65536');
    // Checkpoint every 64 MB of WAL rather than 4 MB: each checkpoint syncs the disk, and a sustained
    // feed ingest spent a third of its time in them (bench/ingest.mjs); the WAL is cut back after.
    db.pragma('wal_autocheckpoint = 16000');
    db.pragma('journal_size_limit = 67108864');
    migrate(db, migrations, file);
    watchSlowQueries(db, file);
  } catch (error) {
    db.close();
    if (!(error instanceof DamagedDatabaseError) && DAMAGED.has((error as { code?: string }).code ?? '')) throw new DamagedDatabaseError(file, (error as Error).message);
    throw error;
  }
  return db;
}

function refuseNewer(db: Db, migrations: readonly Migration[], label: string): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new DatabaseFromTheFutureError(
      `${label} was written by a newer Vigie (schema ${current}; this version knows up to ${latest}). ` +
        'Install the newer Vigie, or open another profile with --profile; this file was left untouched.',
    );
  }
  return current;
}

export function migrate(db: Db, migrations: readonly Migration[], label = 'database'): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}.`);
  });
  const current = refuseNewer(db, migrations, label);
  for (const m of migrations.slice(current)) {
    // One transaction per migration: a failure leaves the file at the previous, consistent version.
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
