import type { Migration } from './index';

/**
 * Operator actions: who owns an incident's lifecycle (the feed, until an operator acts), the
 * lifecycle timers, unit assignments, and the hash-chained audit journal.
 */
const migration: Migration = {
  version: 5,
  name: 'operator-actions',
  up(db) {
    db.exec(`
      ALTER TABLE incidents ADD COLUMN operator_owned INTEGER NOT NULL DEFAULT 0;
      -- what the feed last said about the fields an operator can take over
      ALTER TABLE incidents ADD COLUMN feed_status TEXT;
      ALTER TABLE incidents ADD COLUMN feed_priority INTEGER;
      ALTER TABLE incidents ADD COLUMN feed_closed_at INTEGER;
      ALTER TABLE incidents ADD COLUMN merged_into TEXT;
      ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
      ALTER TABLE incidents ADD COLUMN dispatched_at INTEGER;
      ALTER TABLE incidents ADD COLUMN on_scene_at INTEGER;
      UPDATE incidents SET feed_status = status, feed_priority = priority, feed_closed_at = closed_at;

      CREATE TABLE assignments (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        callsign TEXT,
        status TEXT NOT NULL,
        assigned_at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        en_route_at INTEGER,
        on_scene_at INTEGER,
        cleared_at INTEGER,
        assigned_by TEXT NOT NULL,
        recommended_unit_id TEXT,
        override_reason TEXT,
        rank INTEGER,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX assignments_incident ON assignments(incident_id);
      -- a unit cannot take two incidents: at most one active assignment per unit
      CREATE UNIQUE INDEX assignments_active_unit ON assignments(unit_id) WHERE status <> 'cleared';

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        reason TEXT,
        origin TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_target ON audit(target, id);
      -- append-only: the application never updates or deletes a journal row
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END;
    `);
  },
};
export default migration;
