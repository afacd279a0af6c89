import type { Migration } from './index';

/**
 * A training sandbox plays its day in time (docs/training.md):
 * - training_script: the day's feed records not yet delivered to the exercise, in time order; the
 *   exercise clock delivers each through the normal ingest when it passes the record's instant.
 * - training_injections: which entities a scenario or the trainer injected, so the trainer's view
 *   and the debrief can mark them while the records themselves look exactly like the day's.
 * Empty on every profile that is not a sandbox.
 */
const migration: Migration = {
  version: 16,
  name: 'training-script',
  up(db) {
    db.exec(`
      CREATE TABLE training_script (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, feed_id TEXT NOT NULL, record TEXT NOT NULL);
      CREATE INDEX training_script_t ON training_script(t, seq);
      CREATE TABLE training_injections (entity TEXT PRIMARY KEY, t INTEGER NOT NULL, origin TEXT NOT NULL, note TEXT);
    `);
  },
};
export default migration;
