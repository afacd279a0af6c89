import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, DatabaseFromTheFutureError } from './connection';
import { MIGRATIONS, type Migration } from './migrations/index';
import { tempDir } from '../../../test/helpers';

describe('opening a profile database', () => {
  it('creates the schema, in WAL mode, at the latest version', () => {
    const file = path.join(tempDir(), 'vigie.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'incidents', 'quarantine', 'feed_state']));
    db.close();
  });

  it('refuses a database written by a newer Vigie, says what to do, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'vigie.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.exec('CREATE TABLE future_stuff (x)');
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseFromTheFutureError);
    expect(() => openDatabase(file)).toThrow(/newer Vigie.*Install the newer Vigie/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls a failing migration back whole, keeping the previous version', () => {
    const file = path.join(tempDir(), 'vigie.sqlite');
    openDatabase(file).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x)');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, [...MIGRATIONS, broken])).toThrow();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it('keeps what was stored across close and reopen', () => {
    const file = path.join(tempDir(), 'vigie.sqlite');
    const db = openDatabase(file);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('v');
    again.close();
  });
});
