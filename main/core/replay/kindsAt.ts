import type { AlertFields } from '../../../common/domain/alert';
import type { Annotation, AnnotationFields, GeofenceAlert } from '../../../common/domain/annotation';
import type { CameraFields } from '../../../common/domain/camera';
import type { Assignment, AssignmentStatus } from '../../../common/domain/dispatch';
import type { Alert, Camera } from '../../../common/domain/entities';
import type { IndicatorAlert } from '../../../common/domain/indicator';
import type { PlannedEvent } from '../../../common/domain/plannedEvent';
import type { UnitType } from '../../../common/domain/unit';
import { FORECAST_HORIZONS_H, type AreaForecast } from '../../../common/methods/forecasts';
import type { PictureAt } from '../../../common/methods/replay';
import { findClashes } from '../calendar/calendar';
import {
  annotationEventsUntil,
  calendarVersionsAt,
  dispatchEventsAt,
  geofenceAlertsUntil,
  indicatorAcksUntil,
  indicatorAlertsUntil,
  lastAlertUpserts,
  lastCameraUpserts,
  lastPayloadAt,
  lastUnitUpserts,
} from '../db/replay';
import type { Store } from '../store';

/**
 * The rest of the picture at an instant, kind by kind, each from the event log. The projections
 * say only which entities exist (so each lookup is an index seek on events(entity, t, seq), never a
 * scan of the log); what each entity was at `at` comes from its events at or before `at`.
 */

const DAY = 86_400_000;
/** As many recent alerts as the live trays load. */
const TRAY = 50;

/**
 * The last value built for `kind` on this store, if the rows it was built from were the same
 * (`key`): cameras and CAP alerts change a few times an hour while playback redraws 4 times a
 * second, so most seeks would parse and copy the same few hundred payloads again. One entry per
 * kind: memory stays that of one picture.
 */
const lastBuilt = new WeakMap<Store, Map<string, { key: string; value: unknown }>>();
function sameAsLast<T>(store: Store, kind: string, key: string, build: () => T): T {
  let byKind = lastBuilt.get(store);
  if (!byKind) lastBuilt.set(store, (byKind = new Map()));
  const last = byKind.get(kind);
  if (last && last.key === key) return last.value as T;
  const value = build();
  byKind.set(kind, { key, value });
  return value;
}

/** Each unit's identity (callsign, type, status word) as its last `unit.upsert` at or before `at` gave it. */
export function unitIdentitiesAt(store: Store, ids: string[], at: number): Map<string, { callsign?: string; unitType?: UnitType; status?: string; routeId?: string }> {
  const out = new Map<string, { callsign?: string; unitType?: UnitType; status?: string; routeId?: string }>();
  for (const [entity, , , , payload] of lastUnitUpserts(store.db, ids, at)) {
    const p = JSON.parse(payload) as { callsign?: string; unitType?: UnitType; status?: string; routeId?: string };
    out.set(entity, {
      ...(p.callsign !== undefined ? { callsign: p.callsign } : {}),
      ...(p.unitType !== undefined ? { unitType: p.unitType } : {}),
      ...(p.status !== undefined ? { status: p.status } : {}),
      ...(p.routeId !== undefined ? { routeId: p.routeId } : {}),
    });
  }
  return out;
}

/** CAP alerts in force at `at`: received by then, not expired, not replaced by an Update or Cancel received by then. */
export function alertsAt(store: Store, at: number, simulated: ReadonlySet<string>): Alert[] {
  const rows = lastAlertUpserts(store.db, at);
  // A seq names one event: the same seqs, the same payloads.
  const states = sameAsLast(store, 'alert', rows.map((r) => r[1]).join(','), () =>
    rows.map(([id, seq, t, , payload, feed]) => ({ id, seq, t, feedId: feed ?? id.split(':')[0]!, fields: JSON.parse(payload) as AlertFields })),
  );
  // Which (feed, CAP identifier) an Update or Cancel received by `at` replaced, and from which seq on.
  const replacedAfter = new Map<string, number>();
  for (const s of states) {
    if (s.fields.msgType !== 'Update' && s.fields.msgType !== 'Cancel') continue;
    for (const ref of s.fields.references) {
      if (ref === s.fields.alertId) continue;
      const key = `${s.feedId}\u0000${ref}`;
      replacedAfter.set(key, Math.max(replacedAfter.get(key) ?? 0, s.seq));
    }
  }
  return states
    .filter((s) => s.fields.msgType !== 'Cancel' && (s.fields.expires === undefined || s.fields.expires > at) && (replacedAfter.get(`${s.feedId}\u0000${s.fields.alertId}`) ?? 0) <= s.seq)
    .sort((a, b) => b.fields.sent - a.fields.sent)
    .map((s) => ({ ...s.fields, id: s.id, feedId: s.feedId, cancelled: false, simulated: simulated.has(s.feedId), updatedAt: s.t, seq: s.seq }));
}

/** Every camera known at `at`, with the status it last reported by then. */
export function camerasAt(store: Store, at: number, simulated: ReadonlySet<string>): Camera[] {
  const rows = lastCameraUpserts(store.db, at);
  return sameAsLast(store, 'camera', `${[...simulated].join(',')}\u0000${rows.map((r) => r[1]).join(',')}`, () =>
    rows.map(([id, seq, t, , payload, feed]) => {
      const feedId = feed ?? id.split(':')[0]!;
      return { ...(JSON.parse(payload) as CameraFields), id, feedId, simulated: simulated.has(feedId), updatedAt: t, seq };
    }),
  );
}

/** Annotations that existed (created, not yet deleted) at `at`, as last edited by then. */
export function annotationsAt(store: Store, at: number): Annotation[] {
  const rows = annotationEventsUntil(store.db, at);
  const byId = new Map<string, Annotation>();
  for (const [entity, seq, t, kind, payload] of rows) {
    const id = entity.slice('annotation:'.length);
    // Edits carry the version they made (and the one they started from, and a reshape's before/after); older logs carry none.
    const { by, role: _role, version, baseVersion: _base, reshape: _reshape, ...fields } = JSON.parse(payload) as AnnotationFields & { by: string; role: string; version?: number; baseVersion?: number; reshape?: unknown };
    const current = byId.get(id);
    if (kind === 'annotation.delete') {
      if (current) byId.set(id, { ...current, deleted: true, updatedBy: by, updatedAt: t, seq });
      continue;
    }
    byId.set(id, { ...fields, id, createdBy: current?.createdBy ?? by, createdAt: current?.createdAt ?? t, updatedBy: by, updatedAt: t, deleted: false, seq, version: version ?? (current ? current.version + 1 : 1) });
  }
  return [...byId.values()].filter((a) => !a.deleted);
}

/** The latest geofence alerts raised at or before `at`, most recent first. */
export function geofenceAlertsAt(store: Store, at: number, limit = TRAY): GeofenceAlert[] {
  const rows = geofenceAlertsUntil(store.db, at, limit);
  return rows.map(([seq, t, payload]) => ({ seq, t, ...(JSON.parse(payload) as Omit<GeofenceAlert, 'seq' | 't'>) }));
}

interface DispatchPayload {
  by: string;
  assignmentId: string;
  unitId: string;
  callsign?: string;
  rank?: number;
  recommendedUnitId?: string;
  override?: boolean;
  reason?: string;
  toUnit?: AssignmentStatus;
}

const STEPS: AssignmentStatus[] = ['acknowledged', 'en_route', 'on_scene'];

/** How long a cleared assignment stays in the replayed picture (the hour in migration 0012's assignments_rtree). */
export const CLEARED_SHOWN_MS = 3600_000;

/**
 * Unit assignments active at `at` (made by then, not yet cleared) or cleared in the hour before,
 * each at the step it had reached then (as main/core/actions recorded them). Only the incidents of
 * those assignments are read (assignments_rtree), not every dispatch of the history.
 */
export function assignmentsAt(store: Store, at: number): Assignment[] {
  const rows = dispatchEventsAt(store.db, at);
  const byId = new Map<string, Assignment>();
  for (const [incidentId, seq, t, kind, raw] of rows) {
    const p = JSON.parse(raw) as DispatchPayload;
    if (kind === 'incident.dispatch') {
      byId.set(p.assignmentId, {
        id: p.assignmentId,
        incidentId,
        unitId: p.unitId,
        ...(p.callsign !== undefined ? { callsign: p.callsign } : {}),
        status: 'assigned',
        assignedAt: t,
        assignedBy: p.by,
        ...(p.recommendedUnitId !== undefined ? { recommendedUnitId: p.recommendedUnitId } : {}),
        ...(p.override && p.reason ? { overrideReason: p.reason } : {}),
        ...(p.rank !== undefined ? { rank: p.rank } : {}),
        seq,
      });
      continue;
    }
    const a = byId.get(p.assignmentId);
    const status = kind === 'unit.cleared' ? 'cleared' : p.toUnit;
    if (!a || !status) continue;
    // As main/core/actions' progress(): skipped steps take the same time; cleared fills nothing in.
    const reached = (s: AssignmentStatus) => status !== 'cleared' && STEPS.indexOf(status) >= STEPS.indexOf(s);
    byId.set(a.id, {
      ...a,
      status,
      seq,
      ...(reached('acknowledged') && a.acknowledgedAt === undefined ? { acknowledgedAt: t } : {}),
      ...(reached('en_route') && a.enRouteAt === undefined ? { enRouteAt: t } : {}),
      ...(reached('on_scene') && a.onSceneAt === undefined ? { onSceneAt: t } : {}),
      ...(status === 'cleared' ? { clearedAt: t } : {}),
    });
  }
  // The same incidents' older assignments, cleared long before `at`, are not part of the picture.
  return [...byId.values()].filter((a) => a.clearedAt === undefined || a.clearedAt > at - CLEARED_SHOWN_MS);
}

/** The calendar as it was known at `at`: entries overlapping the following week, and their clashes. */
export function calendarAt(store: Store, at: number, clashDistanceM: number, days = 7): PictureAt['calendar'] {
  // Only versions that were each entry's last at `at` and end after it (an index on the end): never the whole calendar's history.
  const events = calendarVersionsAt(store.db, at)
    .map((r) => (JSON.parse(r[4]) as { event: PlannedEvent }).event)
    .filter((e) => e.start < at + days * DAY && e.end > at)
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  return { events, clashes: findClashes(events, clashDistanceM) };
}

/** The latest indicator alerts raised at or before `at`, with the acknowledgements given by then. */
export function indicatorAlertsAt(store: Store, at: number, limit = TRAY): IndicatorAlert[] {
  const alerts = indicatorAlertsUntil(store.db, at, limit);
  if (alerts.length === 0) return [];
  const acks = new Map<number, { by: string; t: number }>();
  // Only the acknowledgements of the alerts shown (an index seek each), not every acknowledgement of the history.
  const ackRows = indicatorAcksUntil(store.db, alerts.map(([seq]) => seq), at);
  for (const [t, payload] of ackRows) {
    const p = JSON.parse(payload) as { by: string; seq: number };
    if (!acks.has(p.seq)) acks.set(p.seq, { by: p.by, t });
  }
  return alerts.map(([seq, t, payload]) => {
    const ack = acks.get(seq);
    return { seq, t, ...(JSON.parse(payload) as Omit<IndicatorAlert, 'seq' | 't'>), ...(ack ? { acknowledgedBy: ack.by, acknowledgedAt: ack.t } : {}) };
  });
}

/** The entity under which forecasts for a horizon are published. */
export const forecastEntity = (horizonHours: number) => `forecast:${horizonHours}h`;

/** For each horizon, the forecast last published at or before `at` (none before the first). */
export function forecastsAt(store: Store, at: number): Record<string, AreaForecast> {
  const out: Record<string, AreaForecast> = {};
  for (const h of FORECAST_HORIZONS_H) {
    const payload = lastPayloadAt(store.db, forecastEntity(h), 'forecast.published', at);
    if (payload) out[String(h)] = JSON.parse(payload) as AreaForecast;
  }
  return out;
}
