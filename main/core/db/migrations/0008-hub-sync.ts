import type { Migration } from './index';

/**
 * A workstation of a hub (main/core/hub): the actions it made that the hub has not decided yet
 * (sent in order when the hub is reachable; kept with the hub's reason when refused), how far it
 * has applied the hub's stream (to resume there), and the version of each shared entity it last
 * saw (an annotation edited on two seats is decided by the version each edit started from).
 */
const migration: Migration = {
  version: 8,
  name: 'hub-sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_outbox (
        n INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        t INTEGER NOT NULL,
        method TEXT NOT NULL,
        op TEXT NOT NULL,
        -- pending: not decided by the hub yet; acked: committed in the hub's store; rejected: refused, with why
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acked', 'rejected')),
        code TEXT,
        message TEXT,
        details TEXT,
        decided_at INTEGER,
        dismissed INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX sync_outbox_status ON sync_outbox (status, n);

      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_versions (
        entity TEXT PRIMARY KEY,
        op_uid TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
export default migration;
