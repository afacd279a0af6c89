import type { PlannedEvent } from '../../../common/domain/plannedEvent';
import type { Db } from './connection';
import { readEventPayload, type EventPayloads } from './eventPayloads';

/** The calendar is events only: each planned entry's latest `calendar.event` or `calendar.delete`. */

const STANDING = `SELECT kind, payload FROM events WHERE seq IN (
  SELECT max(seq) FROM events WHERE kind IN ('calendar.event', 'calendar.delete') GROUP BY entity
)`;

/** Every entry still standing (its latest event is not a delete). */
export function standingCalendarEntries(db: Db): EventPayloads['calendar.event'][] {
  const rows = db.prepare(STANDING).all() as { kind: string; payload: string }[];
  return rows.filter((r) => r.kind === 'calendar.event').map((r) => readEventPayload('calendar.event', r.payload));
}

/** One entry by its id, or null when it was never planned or was deleted. */
export function calendarEntry(db: Db, id: string): PlannedEvent | null {
  const row = db.prepare("SELECT kind, payload FROM events WHERE entity = ? AND kind IN ('calendar.event', 'calendar.delete') ORDER BY seq DESC LIMIT 1").get(`planned:${id}`) as { kind: string; payload: string } | undefined;
  return row?.kind === 'calendar.event' ? readEventPayload('calendar.event', row.payload).event : null;
}

/** How SQLite runs standingCalendarEntries' query (bench/events-kind.mjs shows it before and after the index). */
export function standingCalendarPlan(db: Db): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${STANDING}`).all() as { detail: string }[]).map((r) => r.detail);
}
