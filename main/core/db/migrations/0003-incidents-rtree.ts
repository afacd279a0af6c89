import type { Migration } from './index';

/**
 * A 3-D R*Tree over incidents: (lon, lat) and the interval during which each incident is open
 * [occurred, closed). Measured here it beats a 2-D tree and composite indexes both for viewport +
 * time windows and for "open at instant t" (bench/incident-query.mjs). Integer coordinates
 * (rtree_i32) keep full precision: lon/lat in 1e-7 degrees, times in whole seconds, and the exact
 * millisecond test is done on the incidents table itself.
 */
const migration: Migration = {
  version: 3,
  name: 'incidents-rtree',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE incidents_rtree USING rtree_i32(rid, min_lon, max_lon, min_lat, max_lat, open_from, open_until);
      INSERT INTO incidents_rtree
        SELECT rowid, CAST(round(lon * 1e7) AS INTEGER), CAST(round(lon * 1e7) AS INTEGER),
               CAST(round(lat * 1e7) AS INTEGER), CAST(round(lat * 1e7) AS INTEGER),
               occurred_at / 1000, max(occurred_at / 1000, COALESCE((closed_at + 999) / 1000, 2147483647))
        FROM incidents;
    `);
  },
};
export default migration;
