import type { Migration } from './index';

/**
 * The alarm queue (main/core/alarms): one row per alarm, a burst grouped into it (count and
 * members), its state with who and when, its escalation level. alarm_sources remembers what has
 * already raised an alarm, so a feed re-sending an incident does not ring twice.
 */
const migration: Migration = {
  version: 13,
  name: 'alarms',
  up(db) {
    db.exec(`
      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL,
        district TEXT,
        title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new',
        level INTEGER NOT NULL DEFAULT 0,
        raised_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        members TEXT NOT NULL,
        seen_by TEXT, seen_at INTEGER,
        acknowledged_by TEXT, acknowledged_at INTEGER,
        closed_by TEXT, closed_at INTEGER,
        escalated_at INTEGER
      );
      CREATE INDEX alarms_open ON alarms(state, raised_at) WHERE state <> 'closed';
      CREATE INDEX alarms_group ON alarms(kind, district, last_at) WHERE state IN ('new', 'seen');
      CREATE TABLE alarm_sources (source TEXT PRIMARY KEY, alarm_id INTEGER NOT NULL, t INTEGER NOT NULL);
    `);
  },
};
export default migration;
