import type { Migration } from './index';

/**
 * The shift handover log (issue 16): one row per shift, its entries, and the two signatures. The
 * summary the outgoing supervisor signed is stored as they saw it (JSON), so the printed handover
 * says what was handed over even after the incidents change.
 */
const migration: Migration = {
  version: 14,
  name: 'handover',
  up(db) {
    db.exec(`
      CREATE TABLE handovers (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        outgoing_user TEXT,
        outgoing_at INTEGER,
        summary TEXT,
        incoming_user TEXT,
        incoming_at INTEGER
      );
      CREATE TABLE handover_entries (
        id INTEGER PRIMARY KEY,
        handover_id INTEGER NOT NULL REFERENCES handovers(id),
        t INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX handover_entries_by_handover ON handover_entries(handover_id, t);
    `);
  },
};
export default migration;
