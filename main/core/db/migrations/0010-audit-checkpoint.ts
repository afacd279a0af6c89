import type { Migration } from './index';

/**
 * Journal retention (main/core/audit/journal.ts purge): the one signed checkpoint that stands for
 * every purged row. It names the journal (its original first row's hash), the last purged row
 * (id and hash, which the next row links to) and how many rows were purged in all; `sig` is an
 * HMAC over those fields with a key kept outside the journal, so that `vigie audit verify` still
 * proves the rows that remain and notices an edited checkpoint.
 */
const migration: Migration = {
  version: 10,
  name: 'audit-checkpoint',
  up(db) {
    db.exec(`
      CREATE TABLE audit_checkpoint (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        t INTEGER NOT NULL,
        journal TEXT NOT NULL,
        last_id INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        purged INTEGER NOT NULL,
        sig TEXT NOT NULL
      );
      -- Still append-only for the application, except the rows a checkpoint already stands for.
      DROP TRIGGER audit_no_delete;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        WHEN OLD.id > coalesce((SELECT last_id FROM audit_checkpoint WHERE one = 1), 0)
        BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only (only retention removes rows, through a signed checkpoint)'); END;
    `);
  },
};
export default migration;
