import type { Migration } from './index';

/**
 * When the source last updated each incident, so that an update arriving out of order loses to
 * the newer one already stored (main/core/db/sourceOrder.ts). `source_time_arrival` = 1 when
 * the feed gave no time of its own and the arrival time stands in for it. Rows from before this
 * migration take their last update's arrival time, recorded as such.
 */
const migration: Migration = {
  version: 9,
  name: 'incident-source-time',
  up(db) {
    db.exec(`
      ALTER TABLE incidents ADD COLUMN source_time INTEGER;
      ALTER TABLE incidents ADD COLUMN source_time_arrival INTEGER NOT NULL DEFAULT 1;
      UPDATE incidents SET source_time = updated_at;
    `);
  },
};
export default migration;
