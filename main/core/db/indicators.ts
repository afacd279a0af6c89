import type { Indicator, IndicatorAlert } from '../../../common/domain/indicator';
import type { Db } from './connection';
import { readEventPayload } from './eventPayloads';

/** The indicator set last saved by a supervisor, or null when none was (the deployed set applies). */
export function savedIndicators(db: Db): Indicator[] | null {
  const row = db.prepare("SELECT payload FROM events WHERE kind = 'indicators.config' ORDER BY seq DESC LIMIT 1").pluck().get() as string | undefined;
  return row ? readEventPayload('indicators.config', row).indicators : null;
}

/** Whether an alert was raised for this indicator entity after `since`. */
export function indicatorAlertSince(db: Db, entity: string, since: number): boolean {
  return db.prepare("SELECT 1 FROM events WHERE kind = 'indicator.alert' AND entity = ? AND t > ? LIMIT 1").get(entity, since) !== undefined;
}

/** The newest alerts, newest first, without their acknowledgement. */
export function indicatorAlerts(db: Db, limit: number): IndicatorAlert[] {
  const rows = db.prepare("SELECT seq, t, payload FROM events WHERE kind = 'indicator.alert' ORDER BY seq DESC LIMIT ?").all(limit) as { seq: number; t: number; payload: string }[];
  return rows.map((r) => ({ seq: r.seq, t: r.t, ...readEventPayload('indicator.alert', r.payload) }));
}

export function indicatorAlert(db: Db, seq: number): IndicatorAlert | null {
  const row = db.prepare("SELECT seq, t, payload FROM events WHERE kind = 'indicator.alert' AND seq = ?").get(seq) as { seq: number; t: number; payload: string } | undefined;
  return row ? { seq: row.seq, t: row.t, ...readEventPayload('indicator.alert', row.payload) } : null;
}

/** The first acknowledgement of alert `seq`: who and when. */
export function indicatorAck(db: Db, seq: number): { by: string; t: number } | null {
  const ack = db.prepare("SELECT t, payload FROM events WHERE kind = 'indicator.ack' AND entity = ? ORDER BY seq LIMIT 1").get(`indicator-alert:${seq}`) as { t: number; payload: string } | undefined;
  return ack ? { by: readEventPayload('indicator.ack', ack.payload).by, t: ack.t } : null;
}

/** When the oldest incident occurred, or null for none. */
export function earliestIncidentTime(db: Db): number | null {
  return db.prepare('SELECT min(occurred_at) FROM incidents').pluck().get() as number | null;
}

/** Where incidents of `category` ('*': any) occurred in [from, to), merged ones left out. */
export function incidentPlaces(db: Db, category: string, from: number, to: number): Iterable<{ lon: number; lat: number }> {
  const sql =
    category === '*'
      ? 'SELECT lon, lat FROM incidents WHERE occurred_at >= ? AND occurred_at < ? AND merged_into IS NULL'
      : 'SELECT lon, lat FROM incidents WHERE occurred_at >= ? AND occurred_at < ? AND merged_into IS NULL AND category = ?';
  const args = category === '*' ? [from, to] : [from, to, category];
  return db.prepare(sql).iterate(...args) as Iterable<{ lon: number; lat: number }>;
}
