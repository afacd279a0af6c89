import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';
import { REPLAY_MARK } from './slowQuery';

/**
 * Every statement replay runs (main/core/replay/ builds the picture from these). Each is prepared
 * once per connection and reused: a seek runs about fifteen of them, and preparing them again on
 * every seek (and every 250 ms playback tick) was a measurable part of the seek. Each reads by an
 * index on time or entity, so its cost follows what the picture holds, not the length of the
 * history. Each carries REPLAY_MARK so the slow-query log holds them to a playback tick's budget.
 */

export type EventRow = [entity: string, seq: number, t: number, kind: string, payload: string];

const statements = new WeakMap<Db, Map<string, Statement>>();

/** The statement for `sql` on `db`, prepared on first use (raw: rows as arrays; pluck: one value). */
function stmt(db: Db, sql: string, mode: 'raw' | 'pluck' | 'rows' = 'raw'): Statement {
  let cache = statements.get(db);
  if (!cache) {
    statements.set(db, (cache = new Map()));
    keepReplayPagesCached(db);
  }
  const key = `${mode}\u0000${sql}`;
  let s = cache.get(key);
  if (!s) {
    s = db.prepare(`${REPLAY_MARK} ${sql}`);
    if (mode === 'raw') s.raw();
    else if (mode === 'pluck') s.pluck();
    cache.set(key, s);
  }
  return s;
}

/** SQLite's page cache for a connection that replays, in KiB (64 MiB). */
const REPLAY_CACHE_KIB = 65_536;

/**
 * Every seek reads the same pages for cameras, CAP alerts, annotations and the tops of the
 * indexes; with SQLite's default 2 MB cache, each seek's incident pages pushed them out and the
 * next seek read them again from the OS (cameras: 0.6 ms warm, 23 ms cold at a year of 500,000
 * incidents). 64 MiB keeps them, and bounds what it costs in memory whatever the history's length.
 */
function keepReplayPagesCached(db: Db): void {
  const current = db.pragma('cache_size', { simple: true }) as number;
  // Negative: KiB; positive: pages (of 4 KiB by default). Never shrink a cache someone set larger.
  const kib = current < 0 ? -current : current * 4;
  if (kib < REPLAY_CACHE_KIB) db.pragma(`cache_size = -${REPLAY_CACHE_KIB}`);
}

/** Incidents open at `at` per the R*Tree (id, feed, simulated, operator-owned, seq of the last `incident.upsert` at or before `at`), newest first. */
export function openIncidentsAt(db: Db, at: number, limit: number): [string, string, number, number, number | null][] {
  // The subquery runs once per open incident (a few thousand at most), each an index seek.
  return stmt(
    db,
    `SELECT i.id, i.feed_id, i.simulated, i.operator_owned,
            (SELECT e.seq FROM events e INDEXED BY events_entity_t
             WHERE e.entity = i.id AND e.t <= @at AND e.kind = 'incident.upsert' ORDER BY e.t DESC, e.seq DESC LIMIT 1)
     FROM incidents_rtree r CROSS JOIN incidents i ON i.rowid = r.rid
     WHERE r.open_from <= @fromS AND r.open_until >= @untilS AND i.occurred_at <= @at
       AND (i.closed_at IS NULL OR i.closed_at > @at OR i.operator_owned = 1)
     ORDER BY i.occurred_at DESC LIMIT @limit`,
  ).all({ fromS: Math.ceil(at / 1000), untilS: Math.floor(at / 1000), at, limit }) as [string, string, number, number, number | null][];
}

/** (seq, t, payload) of the events whose seqs are listed (a purged one is absent). */
export function eventPayloads(db: Db, seqs: readonly number[]): [number, number, string][] {
  return stmt(db, 'SELECT seq, t, payload FROM events WHERE seq IN (SELECT value FROM json_each(?))').all(JSON.stringify(seqs)) as [number, number, string][];
}

/** The log's last seq (0 when empty). */
export function lastSeq(db: Db): number {
  return (stmt(db, 'SELECT max(seq) FROM events', 'pluck').get() as number | null) ?? 0;
}

/** An incident's `incident.*` events at or before `at`, in log order: (seq, t, kind, payload). */
export function incidentActionsUntil(db: Db, id: string, at: number): [number, number, string, string][] {
  return stmt(db, "SELECT seq, t, kind, payload FROM events WHERE entity = ? AND t <= ? AND kind LIKE 'incident.%' ORDER BY t, seq").all(id, at) as [number, number, string, string][];
}

/** The first (or last) instant of an event not of `excludedKind` (index on t, walked from one end). */
export function logEnd(db: Db, order: 'first' | 'last', excludedKind: string): number | null {
  const sql = order === 'first' ? 'SELECT t FROM events WHERE kind != ? ORDER BY t ASC LIMIT 1' : 'SELECT t FROM events WHERE kind != ? ORDER BY t DESC LIMIT 1';
  return (stmt(db, sql, 'pluck').get(excludedKind) as number | undefined) ?? null;
}

/** The instant of the first event after `at` (or the last before it, `back`) whose kind is not in `skipped`. */
export function eventTimeNextTo(db: Db, at: number, back: boolean, skipped: readonly string[]): number | null {
  const list = skipped.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
  const sql = back ? `SELECT t FROM events WHERE t < ? AND kind NOT IN (${list}) ORDER BY t DESC LIMIT 1` : `SELECT t FROM events WHERE t > ? AND kind NOT IN (${list}) ORDER BY t LIMIT 1`;
  return (stmt(db, sql, 'pluck').get(at) as number | undefined) ?? null;
}

/**
 * `incident.upsert` events in (from, to], in time order. Pinned to the index on t: left to itself,
 * SQLite takes events(kind, entity) and walks every incident event of the history on each playback
 * tick (5 s a tick at a year of 500,000 incidents).
 */
export function incidentUpsertsBetween(db: Db, from: number, to: number): { t: number; seq: number; entity: string }[] {
  return stmt(db, "SELECT t, seq, entity FROM events INDEXED BY events_t WHERE t > ? AND t <= ? AND kind = 'incident.upsert' ORDER BY t, seq", 'rows').all(from, to) as { t: number; seq: number; entity: string }[];
}

/** The last event of `kind` at or before `at` of each entity the subquery `ids` lists (its first column), and the subquery's second column. */
function lastOfEach(db: Db, idsSql: string, kind: string, at: number, params: unknown[] = []): [...EventRow, string | null][] {
  return stmt(
    db,
    `SELECT e.entity, e.seq, e.t, e.kind, e.payload, c.extra
     FROM (SELECT x.id AS id, x.extra AS extra,
                  (SELECT seq FROM events INDEXED BY events_entity_t WHERE entity = x.id AND t <= ? AND kind = '${kind}' ORDER BY t DESC, seq DESC LIMIT 1) AS last
           FROM (${idsSql}) x) c
     CROSS JOIN events e ON e.seq = c.last`,
  ).all(at, ...params) as [...EventRow, string | null][];
}

/** Each listed unit's last `unit.upsert` at or before `at`. */
export function lastUnitUpserts(db: Db, ids: readonly string[], at: number): EventRow[] {
  if (ids.length === 0) return [];
  return lastOfEach(db, 'SELECT value AS id, NULL AS extra FROM json_each(?)', 'unit.upsert', at, [JSON.stringify(ids)]) as unknown as EventRow[];
}

/** Each CAP alert's last `alert.upsert` at or before `at`, with its feed. */
export function lastAlertUpserts(db: Db, at: number): [...EventRow, string | null][] {
  return lastOfEach(db, 'SELECT id, feed_id AS extra FROM alerts', 'alert.upsert', at);
}

/** Each camera's last `camera.upsert` at or before `at`, with its feed. */
export function lastCameraUpserts(db: Db, at: number): [...EventRow, string | null][] {
  return lastOfEach(db, 'SELECT id, feed_id AS extra FROM cameras', 'camera.upsert', at);
}

/** Every event of every annotation at or before `at`, by annotation then in log order. */
export function annotationEventsUntil(db: Db, at: number): EventRow[] {
  return stmt(
    db,
    `SELECT e.entity, e.seq, e.t, e.kind, e.payload FROM annotations a
     CROSS JOIN events e ON e.entity = 'annotation:' || a.id AND e.t <= ?
     ORDER BY e.entity, e.t, e.seq`,
  ).all(at) as EventRow[];
}

/** The latest `geofence.alert` events of existing annotations at or before `at`, newest first: (seq, t, payload). */
export function geofenceAlertsUntil(db: Db, at: number, limit: number): [number, number, string][] {
  return stmt(
    db,
    `SELECT seq, t, payload FROM events INDEXED BY events_geofence_alert_t
     WHERE kind = 'geofence.alert' AND t <= ? AND entity IN (SELECT id FROM annotations)
     ORDER BY t DESC, seq DESC LIMIT ?`,
  ).all(at, limit) as [number, number, string][];
}

/**
 * The dispatch events (`incident.dispatch`, `incident.unit.*`, `unit.cleared`) at or before `at`
 * of the incidents of the assignments that were active at `at`, or cleared less than an hour
 * before it (assignments_rtree, migration 0012), in log order.
 */
export function dispatchEventsAt(db: Db, at: number): EventRow[] {
  const s = Math.floor(at / 1000);
  return stmt(
    db,
    `SELECT e.entity, e.seq, e.t, e.kind, e.payload
     FROM (SELECT DISTINCT a.incident_id FROM assignments_rtree r CROSS JOIN assignments a ON a.rowid = r.rid
           WHERE r.from_s <= @s AND r.until_s >= @s) x
     CROSS JOIN events e INDEXED BY events_entity_t ON e.entity = x.incident_id AND e.t <= @at
     WHERE e.kind = 'incident.dispatch' OR e.kind = 'unit.cleared' OR e.kind LIKE 'incident.unit.%'
     ORDER BY e.t, e.seq`,
  ).all({ s, at }) as EventRow[];
}

/**
 * Planned-event versions (`calendar.event`) known at `at` that were still the entry's last
 * calendar event at `at` and end after `at`: (entity, seq, t, kind, payload). Read through the
 * partial index on the entry's end (migration 0012), so only entries ending after `at` are walked.
 */
export function calendarVersionsAt(db: Db, at: number): EventRow[] {
  return stmt(
    db,
    `SELECT c.entity, c.seq, c.t, c.kind, c.payload FROM events c INDEXED BY events_calendar_end
     WHERE c.kind = 'calendar.event' AND (c.payload ->> '$.event.end') > @at AND c.t <= @at
       AND c.seq = (SELECT seq FROM events INDEXED BY events_entity_t
                    WHERE entity = c.entity AND t <= @at AND kind IN ('calendar.event', 'calendar.delete')
                    ORDER BY t DESC, seq DESC LIMIT 1)`,
  ).all({ at }) as EventRow[];
}

/** The latest `indicator.alert` events at or before `at`, newest first: (seq, t, payload). */
export function indicatorAlertsUntil(db: Db, at: number, limit: number): [number, number, string][] {
  return stmt(
    db,
    `SELECT seq, t, payload FROM events INDEXED BY events_indicator_alert_t
     WHERE kind = 'indicator.alert' AND t <= ? AND entity >= 'indicator:' AND entity < 'indicator;'
     ORDER BY t DESC, seq DESC LIMIT ?`,
  ).all(at, limit) as [number, number, string][];
}

/** The acknowledgements given at or before `at` of the listed indicator alerts (by their seq), in log order: (t, payload). */
export function indicatorAcksUntil(db: Db, alertSeqs: readonly number[], at: number): [number, string][] {
  if (alertSeqs.length === 0) return [];
  return stmt(
    db,
    `SELECT e.t, e.payload FROM json_each(?) j
     CROSS JOIN events e INDEXED BY events_entity_t ON e.entity = 'indicator-alert:' || j.value AND e.t <= ?
     WHERE e.kind = 'indicator.ack' ORDER BY e.seq`,
  ).all(JSON.stringify(alertSeqs), at) as [number, string][];
}

/** The payload of `entity`'s last event of `kind` at or before `at`. */
export function lastPayloadAt(db: Db, entity: string, kind: string, at: number): string | undefined {
  return stmt(db, 'SELECT payload FROM events WHERE entity = ? AND t <= ? AND kind = ? ORDER BY t DESC, seq DESC LIMIT 1', 'pluck').get(entity, at, kind) as string | undefined;
}

/** The payload of the last layer set anyone recorded at or before `at`. */
export function lastLayersAt(db: Db, at: number): string | undefined {
  return stmt(db, "SELECT payload FROM events INDEXED BY events_layers_t WHERE kind = 'layers.changed' AND t <= ? ORDER BY t DESC, seq DESC LIMIT 1", 'pluck').get(at) as string | undefined;
}

/**
 * Each unit's last position at or before `at` (one seek on unit_positions(unit, t) per unit), with
 * its last `unit.upsert` (what it was then) at or before `at`: (id, feed, t, lon, lat, heading, seq,
 * identity payload). A unit with no identity event by then did not exist yet and is left out.
 */
export function unitStatesAt(db: Db, at: number): [string, string, number, number, number, number | null, number, string][] {
  return stmt(
    db,
    `SELECT u.id, u.feed_id, p.t, p.lon, p.lat, p.heading, e.seq, e.payload
     FROM units u
     CROSS JOIN unit_positions p ON p.rowid = (SELECT rowid FROM unit_positions INDEXED BY unit_positions_unit_t WHERE unit = u.id AND t <= ? ORDER BY t DESC LIMIT 1)
     CROSS JOIN events e ON e.seq = (SELECT seq FROM events INDEXED BY events_entity_t WHERE entity = u.id AND t <= ? AND kind = 'unit.upsert' ORDER BY t DESC, seq DESC LIMIT 1)`,
  ).all(at, at) as [string, string, number, number, number, number | null, number, string][];
}
