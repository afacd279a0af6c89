import type { Migration } from './index';

/** Annotations (soft-deleted, never removed) and which subjects each geofence holds. */
const migration: Migration = {
  version: 6,
  name: 'annotations',
  up(db) {
    db.exec(`
      CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        fields TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL
      ) STRICT;

      -- whether a unit or incident is inside a geofence, so entering and leaving are edges, not states
      CREATE TABLE geofence_state (
        annotation_id TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        inside INTEGER NOT NULL,
        PRIMARY KEY (annotation_id, subject_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
export default migration;
