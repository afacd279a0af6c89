import type { Handover, HandoverEntry, HandoverSummary } from '../../../common/methods/handover';
import type { Db } from './connection';
import { readEventPayload } from './eventPayloads';

interface HandoverRow {
  id: number;
  started_at: number;
  started_by: string;
  outgoing_user: string | null;
  outgoing_at: number | null;
  summary: string | null;
  incoming_user: string | null;
  incoming_at: number | null;
}

/** At most this many notable events in a summary: a handover is read aloud, not scrolled. */
const NOTABLE_MAX = 30;

/** Alarms still open at handover: the figure and where it comes from (main/core/compose.ts chooses). */
export interface OpenAlarms {
  count(): number;
  /** Said on the summary ("alarm-queue": alarms not closed). */
  readonly from: string;
}

/** The shift handover log (migration 0014): shifts, their entries, signatures and signed summaries. */
export class HandoverRepository {
  constructor(private readonly db: Db) {}

  /** The shift still open (not signed by the incoming supervisor), opened at `now` by `user` when there is none. */
  openShift(now: number, user: string): HandoverRow {
    const open = this.db.prepare('SELECT * FROM handovers WHERE incoming_at IS NULL ORDER BY id DESC LIMIT 1').get() as HandoverRow | undefined;
    if (open) return open;
    const id = Number(this.db.prepare('INSERT INTO handovers (started_at, started_by) VALUES (?, ?)').run(now, user).lastInsertRowid);
    return this.row(id)!;
  }

  row(id: number): HandoverRow | null {
    return (this.db.prepare('SELECT * FROM handovers WHERE id = ?').get(id) as HandoverRow | undefined) ?? null;
  }

  /** The last handover both supervisors signed, or null. */
  lastSigned(): HandoverRow | null {
    return (this.db.prepare('SELECT * FROM handovers WHERE incoming_at IS NOT NULL ORDER BY id DESC LIMIT 1').get() as HandoverRow | undefined) ?? null;
  }

  entries(id: number): HandoverEntry[] {
    return this.db.prepare('SELECT id, t, author, text FROM handover_entries WHERE handover_id = ? ORDER BY t, id').all(id) as HandoverEntry[];
  }

  addEntry(id: number, t: number, author: string, text: string): void {
    this.db.prepare('INSERT INTO handover_entries (handover_id, t, author, text) VALUES (?, ?, ?, ?)').run(id, t, author, text);
  }

  signOutgoing(id: number, user: string, at: number, summary: HandoverSummary): void {
    this.db.prepare('UPDATE handovers SET outgoing_user = ?, outgoing_at = ?, summary = ? WHERE id = ? AND outgoing_at IS NULL').run(user, at, JSON.stringify(summary), id);
  }

  /** The incoming supervisor signs; the next shift opens at once, started by them. */
  signIncoming(id: number, user: string, at: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE handovers SET incoming_user = ?, incoming_at = ? WHERE id = ? AND incoming_at IS NULL').run(user, at, id);
      this.db.prepare('INSERT INTO handovers (started_at, started_by) VALUES (?, ?)').run(at, user);
    })();
  }

  /** The handover as the contract gives it: the signed summary once the outgoing supervisor signed, else `live`. */
  toHandover(row: HandoverRow, live: () => HandoverSummary): Handover {
    return {
      id: row.id,
      startedAt: row.started_at,
      startedBy: row.started_by,
      entries: this.entries(row.id),
      outgoing: row.outgoing_user && row.outgoing_at !== null ? { user: row.outgoing_user, at: row.outgoing_at } : null,
      incoming: row.incoming_user && row.incoming_at !== null ? { user: row.incoming_user, at: row.incoming_at } : null,
      summary: row.summary ? (JSON.parse(row.summary) as HandoverSummary) : live(),
    };
  }

  /** The room at `at` for a shift that started at `since`: what the summary of a handover says. */
  summary(since: number, at: number, alarms: OpenAlarms): HandoverSummary {
    const openByPriority = [0, 0, 0, 0];
    const open = this.db.prepare("SELECT priority, count(*) AS n FROM incidents WHERE status != 'closed' GROUP BY priority").all() as { priority: number; n: number }[];
    for (const { priority, n } of open) if (priority >= 1 && priority <= 4) openByPriority[priority - 1] = n;
    const unitsCommitted = this.db.prepare('SELECT count(DISTINCT unit_id) FROM assignments WHERE cleared_at IS NULL').pluck().get() as number;
    const newIncidents = this.db.prepare('SELECT count(*) FROM incidents WHERE occurred_at >= ? AND occurred_at <= ?').pluck().get(since, at) as number;
    const closedIncidents = this.db.prepare("SELECT count(*) FROM incidents WHERE status = 'closed' AND closed_at >= ? AND closed_at <= ?").pluck().get(since, at) as number;
    const notable: HandoverSummary['notable'] = [];
    const urgent = this.db
      .prepare('SELECT occurred_at AS t, priority, title, category FROM incidents WHERE priority <= 2 AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at DESC LIMIT ?')
      .all(since, at, NOTABLE_MAX) as { t: number; priority: number; title: string; category: string }[];
    for (const i of urgent) notable.push({ t: i.t, kind: 'incident', priority: i.priority, text: i.title || i.category });
    const alerts = this.db
      .prepare("SELECT t, kind, payload FROM events WHERE kind IN ('indicator.alert', 'geofence.alert') AND t >= ? AND t <= ? ORDER BY t DESC LIMIT ?")
      .all(since, at, NOTABLE_MAX) as { t: number; kind: 'indicator.alert' | 'geofence.alert'; payload: string }[];
    for (const a of alerts) {
      if (a.kind === 'indicator.alert') {
        const p = readEventPayload('indicator.alert', a.payload);
        notable.push({ t: a.t, kind: 'indicator', text: `${p.label} · ${p.district} (${p.count})` });
      } else {
        const p = readEventPayload('geofence.alert', a.payload);
        notable.push({ t: a.t, kind: 'geofence', text: `${p.fence} · ${p.subject} (${p.kind})` });
      }
    }
    notable.sort((x, y) => x.t - y.t);
    return {
      at,
      since,
      openByPriority,
      openAlarms: alarms.count(),
      alarmsFrom: alarms.from,
      unitsCommitted,
      newIncidents,
      closedIncidents,
      notable: notable.slice(-NOTABLE_MAX),
    };
  }
}
