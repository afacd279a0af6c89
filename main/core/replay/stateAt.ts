import type { Incident, IncidentFields } from '../../../common/domain/incident';
import type { TrailPoint } from '../../../common/domain/entities';
import type { Store } from '../store';

export interface PictureAt {
  at: number;
  /** Incidents open at `at`, each as it stood then (status, priority…). */
  incidents: Incident[];
  /** Last known position of each unit in the `trailMinutes` before `at`, and its trail. */
  units: { id: string; lon: number; lat: number; heading: number | null; t: number }[];
  trails: Record<string, TrailPoint[]>;
}

/**
 * The picture as it was at instant `at`, rebuilt from the event log (never from feeds). Which
 * incidents were open comes from the R*Tree of open intervals; how each stood then is its last
 * event at or before `at` (index on entity, t). Measured in bench/replay.mjs; this replaced the
 * periodic full snapshots of the first design, which cost megabytes per snapshot for no faster seek.
 */
export function pictureAt(store: Store, at: number, options: { trailMinutes?: number; limit?: number } = {}): PictureAt {
  const db = store.db;
  // One statement, so the per-incident lookups of its last event run inside SQLite, not in JS.
  const rows = db
    .prepare(
      `SELECT c.id, c.feed_id, c.simulated, e.payload, e.seq, e.t
       FROM (SELECT i.id, i.feed_id, i.simulated, i.occurred_at,
                    (SELECT seq FROM events WHERE entity = i.id AND t <= @at ORDER BY t DESC, seq DESC LIMIT 1) AS last_seq
             FROM incidents_rtree r CROSS JOIN incidents i ON i.rowid = r.rid
             WHERE r.open_from <= @fromS AND r.open_until >= @untilS AND i.occurred_at <= @at AND (i.closed_at IS NULL OR i.closed_at > @at)
             ORDER BY i.occurred_at DESC LIMIT @limit) c
       CROSS JOIN events e ON e.seq = c.last_seq
       WHERE e.kind = 'incident.upsert'
       ORDER BY c.occurred_at DESC`,
    )
    .raw()
    .all({ fromS: Math.ceil(at / 1000), untilS: Math.floor(at / 1000), at, limit: options.limit ?? 20_000 }) as [string, string, number, string, number, number][];
  const incidents: Incident[] = rows.map(([id, feedId, simulated, payload, seq, t]) => ({
    ...(JSON.parse(payload) as IncidentFields),
    id,
    feedId,
    simulated: simulated === 1,
    updatedAt: t,
    seq,
  }));
  const since = at - (options.trailMinutes ?? 15) * 60_000;
  const trails = store.units.trails(since, at);
  const units = Object.entries(trails).map(([id, points]) => {
    const last = points[points.length - 1]!;
    return { id, lon: last.lon, lat: last.lat, heading: last.heading, t: last.t };
  });
  return { at, incidents, units, trails };
}

/** The next event strictly after `at` (for "jump to next event"), or null at the end of the log. */
export function nextEventTime(store: Store, at: number): number | null {
  return (store.db.prepare("SELECT min(t) FROM events WHERE t > ? AND kind LIKE 'incident.%'").pluck().get(at) as number | null) ?? null;
}

/** Incident events in (from, to], in time order: what playback delivers between two ticks. */
export function eventsBetween(store: Store, from: number, to: number): { t: number; seq: number; entity: string }[] {
  return store.db
    .prepare("SELECT t, seq, entity FROM events WHERE t > ? AND t <= ? AND kind = 'incident.upsert' ORDER BY t, seq")
    .all(from, to) as { t: number; seq: number; entity: string }[];
}
