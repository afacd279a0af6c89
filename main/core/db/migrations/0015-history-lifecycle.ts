import type { Migration } from './index';

/**
 * Imported history knows how its items close, and a profile knows what it is.
 * - history_imports: one row per `vigie import` run: the files, the lifecycle rule that closed the
 *   items (stated by the person who imported them; replay shows it), the counts, and the data's
 *   time range and extent (for "zoom to data" without scanning the incidents).
 * - profile_info: small facts about the profile itself; `kind` is live, history or training.
 */
const migration: Migration = {
  version: 15,
  name: 'history-lifecycle',
  up(db) {
    db.exec(`
      CREATE TABLE history_imports (
        id INTEGER PRIMARY KEY,
        imported_at INTEGER NOT NULL,
        feed_id TEXT NOT NULL,
        type TEXT NOT NULL,
        files TEXT NOT NULL,
        lifecycle TEXT NOT NULL,
        stored INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        closed INTEGER NOT NULL,
        first_at INTEGER,
        last_at INTEGER,
        min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL
      );
      CREATE TABLE profile_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
  },
};
export default migration;
