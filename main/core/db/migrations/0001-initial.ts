import type { Migration } from './index';

/**
 * The event log and the first projections. `events` is the source of truth: every feed record and
 * every operator action is appended there, and the current-state tables are rebuilt from it.
 */
const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        -- globally unique: origin workstation id + local sequence, so several seats can merge logs
        uid TEXT NOT NULL UNIQUE,
        -- hybrid logical clock, "<ms>:<counter>" zero-padded so that text order is causal order
        hlc TEXT NOT NULL,
        t INTEGER NOT NULL,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        entity TEXT NOT NULL,
        payload TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_entity ON events(entity, seq);
      CREATE INDEX events_t ON events(t);

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        feed_id TEXT NOT NULL,
        external_id TEXT NOT NULL,
        category TEXT NOT NULL,
        priority INTEGER NOT NULL,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        address TEXT,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        occurred_at INTEGER NOT NULL,
        closed_at INTEGER,
        simulated INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX incidents_occurred ON incidents(occurred_at DESC);
      CREATE INDEX incidents_status ON incidents(status, occurred_at DESC);

      CREATE TABLE feed_state (
        feed_id TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        cursor TEXT,
        last_success_at INTEGER,
        last_error_at INTEGER,
        last_error TEXT,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        stored INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        feed_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        raw BLOB NOT NULL
      ) STRICT;
      CREATE INDEX quarantine_feed ON quarantine(feed_id, id DESC);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
