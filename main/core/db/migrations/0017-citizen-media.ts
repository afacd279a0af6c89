import type { Migration } from './index';

/**
 * Citizen media (issue 22).
 * - incident_media: the photos and videos a report names, as references (address and type hint),
 *   and a supervisor's "contains a third party" mark. Kept with the incident's feed and purged
 *   with it at the feed's retention.
 * - media_cache: the cleaned copy of one medium, fetched when a person first opened it (the
 *   original is never written anywhere), or as a citizen app uploaded it to the intake endpoint.
 *   Purged at the feed's retention, counted from when it was cached.
 */
const migration: Migration = {
  version: 17,
  name: 'citizen-media',
  up(db) {
    db.exec(`
      CREATE TABLE incident_media (
        incident_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        feed_id TEXT NOT NULL,
        url TEXT NOT NULL,
        type TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        third_party INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (incident_id, idx)
      ) WITHOUT ROWID;
      CREATE INDEX incident_media_feed ON incident_media (feed_id, updated_at);
      CREATE TABLE media_cache (
        incident_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        feed_id TEXT NOT NULL,
        content_type TEXT NOT NULL,
        bytes BLOB NOT NULL,
        removed TEXT NOT NULL,
        cached_at INTEGER NOT NULL,
        PRIMARY KEY (incident_id, idx)
      );
      CREATE INDEX media_cache_feed ON media_cache (feed_id, cached_at);
    `);
  },
};
export default migration;
