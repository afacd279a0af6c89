import type { GeofenceAlert } from '../../../common/domain/annotation';
import type { SensorFields } from '../../../common/domain/sensor';
import type { Db } from './connection';
import { readEventPayload, readPayloadJson, readPayloadObject } from './eventPayloads';

/** Reads of the event log that several services share; writes go through EventLog.append. */

/** One logged event with its payload read (the incident history, the hub's relay). */
export interface LoggedEventRow {
  seq: number;
  t: number;
  source: string;
  kind: string;
  entity: string;
  payload: Record<string, unknown>;
}

interface RawEvent {
  seq: number;
  t: number;
  source: string;
  kind: string;
  entity: string;
  payload: string;
}

const toLogged = (r: RawEvent): LoggedEventRow => ({ seq: r.seq, t: r.t, source: r.source, kind: r.kind, entity: r.entity, payload: readPayloadObject(r.kind, r.payload) });

/** Every event about one entity, oldest first. */
export function entityEvents(db: Db, entity: string): LoggedEventRow[] {
  return (db.prepare('SELECT seq, t, source, kind, entity, payload FROM events WHERE entity = ? ORDER BY seq').all(entity) as RawEvent[]).map(toLogged);
}

/** Events appended after `seq`, oldest first (what one hub decision wrote), payloads relayed as they are. */
export function eventsAfter(db: Db, seq: number): (Omit<LoggedEventRow, 'payload'> & { payload: unknown })[] {
  return (db.prepare('SELECT seq, t, source, kind, entity, payload FROM events WHERE seq > ? ORDER BY seq').all(seq) as RawEvent[]).map((r) => ({ ...r, payload: readPayloadJson(r.kind, r.payload) }));
}

/** The newest sequence number in the log (0 when empty). */
export function lastEventSeq(db: Db): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
}

/** Who (`by`) wrote the entity's latest event of one of `kinds`, or undefined. */
export function lastActorOf(db: Db, entity: string, kinds: readonly string[]): string | undefined {
  const row = db
    .prepare(`SELECT kind, payload FROM events WHERE entity = ? AND kind IN (${kinds.map(() => '?').join(',')}) ORDER BY seq DESC LIMIT 1`)
    .get(entity, ...kinds) as { kind: string; payload: string } | undefined;
  const by = row ? readPayloadObject(row.kind, row.payload).by : undefined;
  return typeof by === 'string' ? by : undefined;
}

/** The newest geofence alerts, newest first. */
export function geofenceAlerts(db: Db, limit: number): GeofenceAlert[] {
  const rows = db.prepare("SELECT seq, t, payload FROM events WHERE kind = 'geofence.alert' ORDER BY seq DESC LIMIT ?").all(limit) as { seq: number; t: number; payload: string }[];
  return rows.map((r) => ({ seq: r.seq, t: r.t, ...readEventPayload('geofence.alert', r.payload) }));
}

/** Each sensor datastream's latest reading (sensors have no projection of their own yet). */
export function latestSensors(db: Db): (SensorFields & { id: string; feedId: string })[] {
  const rows = db
    .prepare(
      `SELECT e.entity, e.source, e.payload FROM events e
       JOIN (SELECT entity, max(seq) AS seq FROM events WHERE kind = 'sensor.upsert' GROUP BY entity) last ON last.seq = e.seq
       ORDER BY e.entity`,
    )
    .all() as { entity: string; source: string; payload: string }[];
  return rows.map((r) => {
    const { kind: _kind, ...fields } = readEventPayload('sensor.upsert', r.payload);
    return { ...fields, id: r.entity.replace(/^sensor:/, ''), feedId: r.source };
  });
}
