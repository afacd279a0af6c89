import type { Statement } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { Store } from '../store';
import { eventsBetween, logRange, nextEventTime, pictureAt } from './stateAt';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 365;

interface Dispatch {
  id: string;
  incidentId: string;
  assignedAt: number;
  clearedAt?: number;
}
interface Planned {
  id: string;
  start: number;
  end: number;
  known: number;
  deletedAt?: number;
}

/**
 * A year of dispatches (two a day, each unit cleared 10-90 minutes later, a few never cleared),
 * planned events (one a day, known a week ahead, some deleted) and indicator alerts (one a day,
 * acknowledged an hour later), written through the log and the projections as the services write
 * them. The generated lists are the oracle.
 */
function year(store: Store): { dispatches: Dispatch[]; planned: Planned[]; alerts: { seq: number; t: number }[] } {
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const dispatches: Dispatch[] = [];
  const planned: Planned[] = [];
  const alerts: { seq: number; t: number }[] = [];
  const by = { by: 'jdupont', role: 'supervisor' };
  store.db.transaction(() => {
    for (let d = 0; d < DAYS; d++) {
      for (let k = 0; k < 2; k++) {
        const n = dispatches.length;
        const assignedAt = T0 + d * DAY + Math.floor(random() * (DAY - 2 * HOUR));
        const stays = n % 97 === 5; // never cleared: still active at the end of the year
        const clearedAt = stays ? undefined : assignedAt + (10 + Math.floor(random() * 80)) * 60_000;
        const a: Dispatch = { id: `A${n}`, incidentId: `cad:I${n}`, assignedAt, ...(clearedAt !== undefined ? { clearedAt } : {}) };
        dispatches.push(a);
        const { seq } = store.log.append({ t: assignedAt, source: 'user:jdupont', kind: 'incident.dispatch', entity: a.incidentId, payload: { ...by, assignmentId: a.id, unitId: `avl:U${n % 40}` } });
        const saved = { id: a.id, incidentId: a.incidentId, unitId: `avl:U${n % 40}-${n}`, status: 'assigned' as const, assignedAt, assignedBy: 'jdupont', seq };
        store.assignments.save(saved);
        if (clearedAt !== undefined) {
          const cleared = store.log.append({ t: clearedAt, source: 'user:jdupont', kind: 'unit.cleared', entity: a.incidentId, payload: { ...by, assignmentId: a.id, unitId: `avl:U${n % 40}`, toUnit: 'cleared' } });
          store.assignments.save({ ...saved, status: 'cleared', clearedAt, seq: cleared.seq });
        }
      }
      const start = T0 + d * DAY + 10 * HOUR;
      const p: Planned = { id: `csv:P${d}`, start, end: start + (d % 30 === 0 ? 20 * DAY : 4 * HOUR), known: start - 7 * DAY };
      planned.push(p);
      const event = { id: p.id, source: 'csv', title: `Event ${d}`, kind: 'market', start: p.start, end: p.end, place: { type: 'Point', coordinates: [5.37, 43.29] } };
      store.log.append({ t: p.known, source: 'user:jdupont', kind: 'calendar.event', entity: `planned:${p.id}`, payload: { by: 'jdupont', event } });
      if (d % 5 === 0) {
        p.deletedAt = p.known + DAY;
        store.log.append({ t: p.deletedAt, source: 'user:jdupont', kind: 'calendar.delete', entity: `planned:${p.id}`, payload: { by: 'jdupont' } });
      }
      const t = T0 + d * DAY + 6 * HOUR;
      const alert = store.log.append({ t, source: 'indicators', kind: 'indicator.alert', entity: `indicator:rixes:D${d}`, payload: { indicatorId: 'rixes', label: 'Rixes', district: `D${d}`, count: 3, expected: 1, threshold: 2 } });
      alerts.push({ seq: alert.seq, t });
      store.log.append({ t: t + HOUR, source: 'user:jdupont', kind: 'indicator.ack', entity: `indicator-alert:${alert.seq}`, payload: { ...by, seq: alert.seq } });
    }
  })();
  return { dispatches, planned, alerts };
}

describe('replay over a year of dispatches, planned events and indicator alerts', () => {
  it('shows the assignments active then or cleared in the hour before, the calendar of the week ahead and the acknowledgements given by then', () => {
    const store = Store.open(tempDir());
    const { dispatches, planned, alerts } = year(store);
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    // Random instants, and instants just after a clearing (the hour during which it is still shown).
    const instants = [...Array.from({ length: 40 }, () => T0 + Math.floor(random() * DAYS * DAY)), ...dispatches.slice(0, 60).flatMap((a) => (a.clearedAt ? [a.clearedAt, a.clearedAt + HOUR - 1, a.clearedAt + HOUR + 1] : []))];
    for (const at of instants) {
      const p = pictureAt(store, at);
      const assignments = dispatches.filter((a) => a.assignedAt <= at && (a.clearedAt === undefined || a.clearedAt > at - HOUR));
      expect(p.assignments.map((a) => [a.id, a.status]).sort()).toEqual(assignments.map((a) => [a.id, a.clearedAt !== undefined && a.clearedAt <= at ? 'cleared' : 'assigned']).sort());
      const calendar = planned.filter((e) => e.known <= at && (e.deletedAt === undefined || e.deletedAt > at) && e.start < at + 7 * DAY && e.end > at);
      expect(p.calendar.events.map((e) => e.id).sort()).toEqual(calendar.map((e) => e.id).sort());
      const shown = alerts.filter((a) => a.t <= at).slice(-50).reverse();
      expect(p.indicatorAlerts.map((a) => [a.seq, a.acknowledgedAt ?? null])).toEqual(shown.map((a) => [a.seq, a.t + HOUR <= at ? a.t + HOUR : null]));
    }
    store.close();
  });

  it('reads the log through its indexes: no statement of a seek walks the whole events or assignments table', () => {
    const store = Store.open(tempDir());
    year(store);
    // Every statement replay prepares on this connection, with the arguments of its first run.
    const seen = new Map<string, unknown[]>();
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      const spy: Statement = new Proxy(statement, {
        get(target, key) {
          const value = Reflect.get(target, key, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if ((key === 'all' || key === 'get') && !seen.has(sql)) seen.set(sql, args);
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            return result === target ? spy : result; // raw(), pluck() chain
          };
        },
      });
      return spy;
    }) as typeof store.db.prepare;
    const at = T0 + 200 * DAY + 12 * HOUR;
    pictureAt(store, at);
    eventsBetween(store, at - HOUR, at);
    nextEventTime(store, at);
    nextEventTime(store, at, true);
    logRange(store);
    store.db.prepare = prepare;
    const replaySql = [...seen.keys()].filter((sql) => sql.startsWith('/* replay */'));
    expect(replaySql.length).toBeGreaterThanOrEqual(12);
    for (const sql of replaySql) {
      const plan = ((prepare(`EXPLAIN QUERY PLAN ${sql}`) as Statement).all(...(seen.get(sql) ?? [])) as { detail: string }[]).map((r) => r.detail).join(' | ');
      // Scans only of small tables (CAP alerts, cameras, annotations), of the R*Trees' and json_each's
      // answers, or of the log in time order under a LIMIT (its two ends).
      const scans = plan.split(' | ').filter((step) => step.startsWith('SCAN'));
      for (const scan of scans) expect.soft(scan, sql).toMatch(/^SCAN ((alerts|cameras|a)( USING COVERING INDEX sqlite_autoindex_\w+)?|[rj] VIRTUAL TABLE .*|x|events USING INDEX events_t)$/);
      // Nor every event of a kind, or of every entity under a prefix: those grow with the history.
      expect.soft(plan, sql).not.toMatch(/events_kind|entity>\? AND entity<\?/);
    }
    store.close();
  });
});
