import type { Migration } from './index';

/**
 * Feed health beyond the last poll (total errors, newest source time for lag, which entity kinds a
 * feed brings, for the layer panel's stale badge), links already followed (CAP index entries) so a
 * restart does not fetch them again, and the record of every retention purge.
 */
const migration: Migration = {
  version: 7,
  name: 'feed-health-retention',
  up(db) {
    db.exec(`
      ALTER TABLE feed_state ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE feed_state ADD COLUMN last_data_at INTEGER;
      ALTER TABLE feed_state ADD COLUMN last_source_time INTEGER;
      ALTER TABLE feed_state ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
      -- paused by an operator from the Feeds panel (config.json can pause a feed too)
      ALTER TABLE feed_state ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE feed_seen (
        feed_id TEXT NOT NULL,
        key TEXT NOT NULL,
        t INTEGER NOT NULL,
        PRIMARY KEY (feed_id, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE purge_runs (
        id INTEGER PRIMARY KEY,
        t INTEGER NOT NULL,
        feed_id TEXT NOT NULL,
        cutoff INTEGER NOT NULL,
        purpose TEXT,
        -- JSON: rows deleted per table
        deleted TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
