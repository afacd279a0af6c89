import type { Migration } from './index';

/**
 * Replay reads dispatches and the calendar by time range instead of over the whole history.
 * - assignments_rtree: each assignment's interval in whole seconds, from its dispatch to an hour
 *   after it was cleared (open-ended while active), kept by triggers so that every writer (actions,
 *   hub sync, restore) keeps it current without knowing it exists. The hour is
 *   CLEARED_SHOWN_MS in main/core/replay/kindsAt.ts: a replayed picture shows who just left.
 * - events_calendar_end: planned-entry versions by the end of the entry they describe, so the
 *   calendar at t walks only the entries that end after t.
 * - The newest indicator alert, geofence alert and layer set at t, each from a small partial index
 *   on time, instead of every one of that kind ever logged.
 */
const UNTIL = "CASE WHEN NEW.cleared_at IS NULL THEN 2147483647 ELSE (NEW.cleared_at + 3600000 + 999) / 1000 END";
const migration: Migration = {
  version: 12,
  name: 'replay-ranges',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE assignments_rtree USING rtree_i32(rid, from_s, until_s);
      INSERT INTO assignments_rtree
        SELECT rowid, assigned_at / 1000, CASE WHEN cleared_at IS NULL THEN 2147483647 ELSE (cleared_at + 3600000 + 999) / 1000 END FROM assignments;
      CREATE TRIGGER assignments_rtree_insert AFTER INSERT ON assignments BEGIN
        INSERT INTO assignments_rtree VALUES (NEW.rowid, NEW.assigned_at / 1000, ${UNTIL});
      END;
      CREATE TRIGGER assignments_rtree_update AFTER UPDATE OF assigned_at, cleared_at ON assignments BEGIN
        UPDATE assignments_rtree SET from_s = NEW.assigned_at / 1000, until_s = ${UNTIL} WHERE rid = NEW.rowid;
      END;
      CREATE TRIGGER assignments_rtree_delete AFTER DELETE ON assignments BEGIN
        DELETE FROM assignments_rtree WHERE rid = OLD.rowid;
      END;
      CREATE INDEX events_calendar_end ON events((payload ->> '$.event.end'), t) WHERE kind = 'calendar.event';
      CREATE INDEX events_indicator_alert_t ON events(t, seq) WHERE kind = 'indicator.alert';
      CREATE INDEX events_geofence_alert_t ON events(t, seq) WHERE kind = 'geofence.alert';
      CREATE INDEX events_layers_t ON events(t, seq) WHERE kind = 'layers.changed';
    `);
  },
};
export default migration;
