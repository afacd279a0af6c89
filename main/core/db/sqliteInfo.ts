import Database from 'better-sqlite3';
import type { Db } from './connection';

/** The SQLite library's version (for support bundles). */
export function sqliteVersion(): string {
  const mem = new Database(':memory:');
  try {
    return mem.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    mem.close();
  }
}

/** How many events and journal rows a profile database holds (a backup's manifest states them). */
export function logAndJournalCounts(db: Db): { events: number; journalRows: number } {
  return {
    events: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
    journalRows: db.prepare('SELECT count(*) FROM audit').pluck().get() as number,
  };
}
