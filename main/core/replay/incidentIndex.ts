import type { Incident } from '../../../common/domain/incident';
import type { Store } from '../store';

/**
 * An in-memory checkpoint of the log for replay: for each incident, the times and sequence numbers
 * of its feed events (`incident.upsert`), in log order, plus a bounded cache of parsed payloads. A
 * seek then finds each open incident's state at `at` by binary search instead of one index seek
 * per incident, and playback (consecutive seeks sharing most incidents) parses each payload once.
 * Built on first use from one pass over the log, then kept up to date by reading only the events
 * appended since (by seq, the primary key). About 16 bytes per incident event.
 */
export class IncidentTimeline {
  private readonly times = new Map<string, number[]>();
  private readonly seqs = new Map<string, number[]>();
  private lastSeq = 0;
  /** Incidents as each feed event left them, by the event's seq (each built once, never mutated). */
  private readonly built = new Map<number, Incident>();
  private static readonly MAX_BUILT = 60_000;

  constructor(private readonly store: Store) {}

  /** Reads the events appended since the last call (all of them the first time). */
  catchUp(): void {
    const max = (this.store.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
    if (max < this.lastSeq) this.reset(); // the log was cut (a purge of the newest events): start again
    if (max === this.lastSeq) return;
    const rows = this.store.db
      .prepare("SELECT seq, t, entity FROM events WHERE seq > ? AND seq <= ? AND kind = 'incident.upsert' ORDER BY seq")
      .raw()
      .all(this.lastSeq, max) as [number, number, string][];
    for (const [seq, t, entity] of rows) {
      let times = this.times.get(entity);
      let seqs = this.seqs.get(entity);
      if (!times || !seqs) {
        times = [];
        seqs = [];
        this.times.set(entity, times);
        this.seqs.set(entity, seqs);
      }
      // Events of an entity usually arrive in time order; a late one is put in its place.
      let k = times.length;
      while (k > 0 && times[k - 1]! > t) k--;
      times.splice(k, 0, t);
      seqs.splice(k, 0, seq);
    }
    this.lastSeq = max;
  }

  /** The entity's last feed event at or before `at` (its seq and time), or null. */
  lastAt(entity: string, at: number): { seq: number; t: number } | null {
    const times = this.times.get(entity);
    if (!times || times.length === 0 || times[0]! > at) return null;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { seq: this.seqs.get(entity)![lo]!, t: times[lo]! };
  }

  /**
   * Each incident as the given feed event left it (the cache first, the rest read in one query and
   * built by adding the cache's fields to the parsed payload: no copies); a purged event is absent.
   * The objects are shared between calls: callers copy before changing one.
   */
  incidentsOf(events: { seq: number; t: number; id: string; feedId: string; simulated: boolean }[]): Map<number, Incident> {
    const out = new Map<number, Incident>();
    const missing = new Map<number, { seq: number; t: number; id: string; feedId: string; simulated: boolean }>();
    for (const e of events) {
      const cached = this.built.get(e.seq);
      if (cached) out.set(e.seq, cached);
      else missing.set(e.seq, e);
    }
    if (missing.size > 0) {
      const rows = this.store.db.prepare('SELECT seq, payload FROM events WHERE seq IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify([...missing.keys()])) as [number, string][];
      if (this.built.size + rows.length > IncidentTimeline.MAX_BUILT) this.built.clear();
      for (const [seq, payload] of rows) {
        const e = missing.get(seq)!;
        const incident = JSON.parse(payload) as Incident;
        incident.id = e.id;
        incident.feedId = e.feedId;
        incident.simulated = e.simulated;
        incident.updatedAt = e.t;
        incident.seq = seq;
        this.built.set(seq, incident);
        out.set(seq, incident);
      }
    }
    return out;
  }

  /** Forget everything (events were deleted: a retention purge). */
  reset(): void {
    this.times.clear();
    this.seqs.clear();
    this.built.clear();
    this.lastSeq = 0;
  }
}

const timelines = new WeakMap<Store, IncidentTimeline>();

/** The store's timeline, caught up with the log. */
export function incidentTimeline(store: Store): IncidentTimeline {
  let timeline = timelines.get(store);
  if (!timeline) {
    timeline = new IncidentTimeline(store);
    timelines.set(store, timeline);
  }
  timeline.catchUp();
  return timeline;
}
