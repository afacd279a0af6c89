import type { Incident, IncidentFields, IncidentStatus } from '../../../common/domain/incident';
import type { PictureAt } from '../../../common/methods/replay';
import { eventTimeNextTo, incidentActionsUntil, incidentUpsertsBetween, logEnd } from '../db/replay';
import type { Store } from '../store';
import { incidentHistory } from './incidentIndex';
import { LAYERS_KIND, layersAt } from './layers';
import { alertsAt, annotationsAt, assignmentsAt, calendarAt, camerasAt, forecastsAt, geofenceAlertsAt, indicatorAlertsAt, unitIdentitiesAt } from './kindsAt';

export type { PictureAt };

export interface PictureOptions {
  trailMinutes?: number;
  limit?: number;
  /** Feeds whose entities are labelled simulated (the demo). */
  simulatedFeeds?: ReadonlySet<string>;
  /** Distance under which two planned events at the same time clash (the calendar's setting). */
  clashDistanceM?: number;
  /** Whose layer set to prefer (the caller's); others' are the fallback. */
  user?: string;
}

/**
 * The picture as it was at instant `at`, rebuilt from the event log (never from feeds): the
 * projections only say *which* entities to look up; what each was at `at` is its last event at or
 * before `at` (index on entity, t). Measured in bench/replay.mjs; this replaced the periodic full
 * snapshots of the first design, which cost megabytes per snapshot for no faster seek.
 */
export function pictureAt(store: Store, at: number, options: PictureOptions = {}): PictureAt {
  const simulated = options.simulatedFeeds ?? new Set<string>();
  const since = at - (options.trailMinutes ?? 15) * 60_000;
  const trails = store.units.trails(since, at);
  const identities = unitIdentitiesAt(store, Object.keys(trails), at);
  const units = Object.entries(trails).map(([id, points]) => {
    const last = points[points.length - 1]!;
    return { id, lon: last.lon, lat: last.lat, heading: last.heading, t: last.t, ...identities.get(id) };
  });
  return {
    at,
    incidents: incidentsAt(store, at, options.limit ?? 20_000),
    units,
    trails,
    alerts: alertsAt(store, at, simulated),
    cameras: camerasAt(store, at, simulated),
    annotations: annotationsAt(store, at),
    geofenceAlerts: geofenceAlertsAt(store, at),
    assignments: assignmentsAt(store, at),
    calendar: calendarAt(store, at, options.clashDistanceM ?? 500),
    indicatorAlerts: indicatorAlertsAt(store, at),
    forecasts: forecastsAt(store, at),
    layers: layersAt(store, at, options.user),
  };
}

/**
 * Incidents open at `at`, each as it stood then. Which were open, and each one's last
 * `incident.upsert` at or before `at`, come from indexes on disk (incidentIndex.ts). Incidents an
 * operator has worked (few) have their lifecycle actions folded over that, in log order.
 */
export function incidentsAt(store: Store, at: number, limit = 20_000): Incident[] {
  const history = incidentHistory(store);
  const open = history.openAt(at, limit);
  const built = history.incidentsOf(open);
  const out: Incident[] = [];
  for (const o of open) {
    // Created by hand (a trainer's injection goes through the feed path, so this is rare), or purged: no feed view.
    let incident = o.last !== null ? built.get(o.last) : undefined;
    if (!incident) continue;
    if (o.operatorOwned) incident = foldActions(incident, incidentActionsUntil(store.db, o.id, at));
    if (incident.status !== 'closed' && (incident.closedAt === undefined || incident.closedAt > at || incident.operatorOwned)) out.push(incident);
  }
  return out;
}

interface ActionPayload {
  to?: IncidentStatus;
  toPriority?: number;
  into?: string;
}

/**
 * An incident's state after its events in log order: feed upserts (which stop moving status,
 * priority and closing once an operator has acted) and operator actions (what the projection in
 * main/core/actions applied when they were taken).
 */
function foldActions(feedView: Incident, events: [number, number, string, string][]): Incident {
  let state: Incident = { ...feedView };
  let owned = false;
  for (const [seq, t, kind, raw] of events) {
    if (kind === 'incident.note' || kind === 'incident.attach') continue;
    const payload = JSON.parse(raw) as ActionPayload & IncidentFields;
    if (kind === 'incident.upsert') {
      // media: a report's photo addresses stay in the service (issue 22).
      const { status, priority, closedAt, media: _media, ...rest } = payload;
      state = owned
        ? { ...state, ...rest, ...(status !== state.status ? { feedStatus: status } : {}), ...(priority !== state.priority ? { feedPriority: priority } : {}) }
        : withoutClosed({ ...state, ...rest, status, priority, ...(closedAt !== undefined ? { closedAt } : {}) }, closedAt === undefined);
      state.updatedAt = t;
      state.seq = seq;
      continue;
    }
    owned = true;
    state = { ...state, operatorOwned: true, updatedAt: t, seq };
    if (payload.to) state.status = payload.to;
    if (kind === 'incident.priority' && typeof payload.toPriority === 'number') state.priority = payload.toPriority;
    if (kind === 'incident.acknowledge') state.acknowledgedAt ??= t;
    if (kind === 'incident.dispatch') {
      state.acknowledgedAt ??= t;
      state.dispatchedAt ??= t;
    }
    if (state.status === 'on_scene') state.onSceneAt ??= t;
    if (kind === 'incident.close' || kind === 'incident.merge') {
      state.closedAt = t;
      if (kind === 'incident.merge' && payload.into) state.mergedInto = payload.into;
    }
    if (kind === 'incident.reopen') state = withoutClosed(state, true);
  }
  return state;
}

function withoutClosed(incident: Incident, drop: boolean): Incident {
  if (!drop) return incident;
  const { closedAt: _c, mergedInto: _m, ...rest } = incident;
  return rest;
}

/**
 * Events that change nothing of the day itself: "next event" skips them. A layer set is how someone
 * looked at the day, not something that happened in it (and every window records the one it opens
 * with): it neither stops "next event" nor extends the range of the log.
 */
const HOUSEKEEPING = ['forecast.published', 'retention.purged', 'indicators.config', 'signal.bucket', LAYERS_KIND];

/** The first and last instants of the log's events, layer sets left out (index on t, walked from each end). */
export function logRange(store: Store): { first: number | null; last: number | null } {
  return { first: logEnd(store.db, 'first', LAYERS_KIND), last: logEnd(store.db, 'last', LAYERS_KIND) };
}

/**
 * The next event strictly after `at` that changed the picture (an incident, an alert, an
 * annotation, a dispatch, a planned event…), for "jump to next event"; null at the end of the log.
 * `back`: the last one strictly before `at` (null at the start).
 */
export function nextEventTime(store: Store, at: number, back = false): number | null {
  return eventTimeNextTo(store.db, at, back, HOUSEKEEPING);
}

/** Incident events in (from, to], in time order: what playback delivers between two ticks. */
export function eventsBetween(store: Store, from: number, to: number): { t: number; seq: number; entity: string }[] {
  return incidentUpsertsBetween(store.db, from, to);
}
