import type { Incident } from '../../../common/domain/incident';
import type { Db } from '../db/connection';
import { eventPayloads, lastSeq, openIncidentsAt } from '../db/replay';
import type { Store } from '../store';

/** An incident open at a replayed instant, with its last feed event at or before it (null: none, or purged). */
export interface OpenIncident {
  id: string;
  feedId: string;
  simulated: boolean;
  operatorOwned: boolean;
  /** seq of its last `incident.upsert` at or before the instant. */
  last: number | null;
}

/**
 * Incidents as each feed event left them, for replay. Everything per event stays on disk: which
 * incidents were open at `at` comes from the R*Tree of open intervals, and each one's last feed event
 * at or before `at` from one seek on events(entity, t, seq), both in one statement; the memory held
 * here is a bounded cache of parsed incidents (playback's consecutive seeks share most of them). So
 * the data service's memory does not grow with the length of the history, and the first seek builds
 * nothing: it costs what any seek costs (bench/replay.mjs, figures in docs/training.md). This replaced
 * an in-memory timeline of every incident event, built on the first seek: 4 s and 1.8 GB for a year of
 * 500,000 incidents.
 */
export class IncidentHistory {
  /** Incidents as each feed event left them, by the event's seq (each built once, never mutated). */
  private readonly built = new Map<number, Incident>();
  /** About 4 playback pictures of a day with 50,000 incidents; a few tens of MB at most. */
  private static readonly MAX_BUILT = 10_000;
  /** The log's last seq when the cache was last used: a smaller one means the newest events were cut and seqs may be reused. */
  private lastSeq = 0;

  constructor(private readonly db: Db) {}

  /** Incidents open at `at` (the projection's interval; the caller checks the state then), most recent first. */
  openAt(at: number, limit: number): OpenIncident[] {
    const rows = openIncidentsAt(this.db, at, limit);
    return rows.map(([id, feedId, simulated, owned, last]) => ({ id, feedId, simulated: simulated === 1, operatorOwned: owned === 1, last }));
  }

  /**
   * Each incident as its feed event `last` left it (the cache first, the rest read in one query and
   * built by adding the incident's fields to the parsed payload: no copies); a purged event is absent.
   * The objects are shared between calls: callers copy before changing one.
   */
  incidentsOf(open: readonly OpenIncident[]): Map<number, Incident> {
    const max = lastSeq(this.db);
    if (max < this.lastSeq) this.reset();
    this.lastSeq = max;
    const out = new Map<number, Incident>();
    const missing = new Map<number, OpenIncident>();
    for (const o of open) {
      if (o.last === null) continue;
      const cached = this.built.get(o.last);
      if (cached) out.set(o.last, cached);
      else missing.set(o.last, o);
    }
    if (missing.size === 0) return out;
    const rows = eventPayloads(this.db, [...missing.keys()]);
    if (this.built.size + rows.length > IncidentHistory.MAX_BUILT) this.built.clear();
    for (const [seq, t, payload] of rows) {
      const o = missing.get(seq)!;
      const incident = JSON.parse(payload) as Incident;
      // A report's photo addresses stay in the service (issue 22): replayed incidents carry none.
      delete incident.media;
      incident.id = o.id;
      incident.feedId = o.feedId;
      incident.simulated = o.simulated;
      incident.updatedAt = t;
      incident.seq = seq;
      this.built.set(seq, incident);
      out.set(seq, incident);
    }
    return out;
  }

  /** Forget the cache (events were deleted or rewritten: a retention purge, a restore). */
  reset(): void {
    this.built.clear();
  }
}

const histories = new WeakMap<Store, IncidentHistory>();

/** The store's incident history (its statements and its cache). */
export function incidentHistory(store: Store): IncidentHistory {
  let history = histories.get(store);
  if (!history) {
    history = new IncidentHistory(store.db);
    histories.set(store, history);
  }
  return history;
}
