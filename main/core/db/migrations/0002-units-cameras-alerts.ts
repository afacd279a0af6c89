import type { Migration } from './index';

/**
 * Projections for the other feed kinds. Unit positions arrive several times a minute per unit:
 * they go to a compact table (no JSON), and only changes of what a unit *is* (status, callsign,
 * type) go through the event log.
 */
const migration: Migration = {
  version: 2,
  name: 'units-cameras-alerts',
  up(db) {
    db.exec(`
      CREATE TABLE units (
        id TEXT PRIMARY KEY,
        feed_id TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        callsign TEXT,
        unit_type TEXT NOT NULL,
        status TEXT,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        heading REAL,
        speed REAL,
        t INTEGER NOT NULL,
        expires_at INTEGER,
        updated_at INTEGER NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE unit_positions (
        unit TEXT NOT NULL,
        t INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        heading REAL
      ) STRICT;
      CREATE INDEX unit_positions_t ON unit_positions(t);
      CREATE INDEX unit_positions_unit_t ON unit_positions(unit, t);

      CREATE TABLE cameras (
        id TEXT PRIMARY KEY,
        feed_id TEXT NOT NULL,
        external_id TEXT NOT NULL,
        name TEXT,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        heading REAL,
        field_of_view REAL,
        range_m REAL,
        status TEXT NOT NULL,
        stream_url TEXT,
        t INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        feed_id TEXT NOT NULL,
        alert_id TEXT NOT NULL,
        fields TEXT NOT NULL,
        sent INTEGER NOT NULL,
        expires INTEGER,
        cancelled INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX alerts_alert_id ON alerts(feed_id, alert_id);
    `);
  },
};
export default migration;
