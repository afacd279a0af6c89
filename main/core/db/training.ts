import type { Db } from './connection';

/** An event as stored, payload still JSON (a sandbox copies some as they are). */
export interface StoredEvent {
  t: number;
  source: string;
  kind: string;
  entity: string;
  payload: string;
}

/** What a training sandbox reads of its source profile's log and projections. */
export class SourceDayReader {
  constructor(private readonly db: Db) {}

  /** Events of `kind` in [from, to), in time order. */
  during(kind: string, from: number, to: number): StoredEvent[] {
    return this.db.prepare('SELECT t, source, kind, entity, payload FROM events WHERE kind = ? AND t >= ? AND t < ? ORDER BY t, seq').all(kind, from, to) as StoredEvent[];
  }

  /** Each entity's last event of `kinds` before `before`: the state standing then. */
  standing(kinds: readonly string[], before: number): StoredEvent[] {
    return this.db
      .prepare(
        `SELECT e.t, e.source, e.kind, e.entity, e.payload FROM events e
         WHERE e.seq IN (SELECT max(seq) FROM events WHERE kind IN (${kinds.map(() => '?').join(',')}) AND t < ? GROUP BY entity)`,
      )
      .all(...kinds, before) as StoredEvent[];
  }

  /** Feed records of kinds other than `excluded` in [from, to) (sensors, markers: the whole record is the payload). */
  otherFeedRecords(excluded: readonly string[], from: number, to: number): StoredEvent[] {
    return this.db
      .prepare(`SELECT t, source, kind, entity, payload FROM events WHERE t >= ? AND t < ? AND kind LIKE '%.upsert' AND kind NOT IN (${excluded.map(() => '?').join(',')}) ORDER BY t, seq`)
      .all(from, to, ...excluded) as StoredEvent[];
  }

  /**
   * Every annotation write before `before`, by annotation then time. Only `annotation.*` kinds: the
   * hub logs its refusals (`sync.rejected`) under the annotation's entity too, and those are no edit.
   */
  annotationEvents(before: number): StoredEvent[] {
    return this.db
      .prepare("SELECT t, source, kind, entity, payload FROM events WHERE entity >= 'annotation:' AND entity < 'annotation;' AND t < ? AND kind LIKE 'annotation.%' ORDER BY entity, t, seq")
      .all(before) as StoredEvent[];
  }

  /** Every unit's current identity (for units whose identity event is older than the log kept). */
  unitIdentities(): { id: string; unit_id: string; callsign: string | null; unit_type: string; status: string | null }[] {
    return this.db.prepare('SELECT id, unit_id, callsign, unit_type, status FROM units').all() as { id: string; unit_id: string; callsign: string | null; unit_type: string; status: string | null }[];
  }

  /** Every unit position in [from, to), in time order, as [unit, t, lon, lat, heading]. */
  positions(from: number, to: number): IterableIterator<[string, number, number, number, number | null]> {
    return this.db.prepare('SELECT unit, t, lon, lat, heading FROM unit_positions WHERE t >= ? AND t < ? ORDER BY t').raw().iterate(from, to) as IterableIterator<[string, number, number, number, number | null]>;
  }
}

export interface DebriefIncident {
  id: string;
  feed_id: string;
  title: string;
  category: string;
  priority: number;
  occurred_at: number;
  closed_at: number | null;
}

export interface DebriefAssignment {
  callsign: string | null;
  unit_id: string;
  recommended_unit_id: string | null;
  override_reason: string | null;
}

/** What a debrief reads of a sandbox (its exercise) and of the source profile (the real day). */
export class DebriefReader {
  private readonly firstActionStmt;
  private readonly assignmentsStmt;

  constructor(private readonly db: Db) {
    this.firstActionStmt = db.prepare("SELECT t, json_extract(payload, '$.by') AS by FROM events WHERE entity = ? AND kind = ? ORDER BY seq LIMIT 1");
    this.assignmentsStmt = db.prepare('SELECT callsign, unit_id, recommended_unit_id, override_reason FROM assignments WHERE incident_id = ? ORDER BY assigned_at');
  }

  incidents(): DebriefIncident[] {
    return this.db.prepare('SELECT id, feed_id, title, category, priority, occurred_at, closed_at FROM incidents ORDER BY occurred_at, id').all() as DebriefIncident[];
  }

  /** The first `kind` action on an incident: when and by whom. */
  firstAction(incidentId: string, kind: string): { t: number; by: string } | undefined {
    return this.firstActionStmt.get(incidentId, kind) as { t: number; by: string } | undefined;
  }

  assignments(incidentId: string): DebriefAssignment[] {
    return this.assignmentsStmt.all(incidentId) as DebriefAssignment[];
  }

  /** Injections (records of the injected entities, or of the old `injectFeed`) and every operator action, in time order. */
  timeline(injected: readonly string[], injectFeed: string): StoredEvent[] {
    return this.db
      .prepare(`SELECT t, source, kind, entity, payload FROM events WHERE ((entity IN (SELECT value FROM json_each(?)) OR source = ?) AND kind LIKE '%.upsert') OR source LIKE 'user:%' ORDER BY t, seq`)
      .all(JSON.stringify(injected), injectFeed) as StoredEvent[];
  }
}

/** When the source profile closed an incident (the import's closing time, a feed's closing, or the supervisor's close). */
export function closedAtLookup(source: Db): (incidentId: string) => number | null {
  const stmt = source.prepare('SELECT closed_at FROM incidents WHERE id = ?').pluck();
  return (incidentId) => (stmt.get(incidentId) as number | null | undefined) ?? null;
}

/** When the source day's feed first gave an incident one of `statuses`, by the log (a lookup for many incidents). */
export function firstStatusLookup(source: Db): (incidentId: string, statuses: readonly string[]) => number | null {
  const stmt = source.prepare("SELECT min(t) FROM events WHERE entity = ? AND kind = 'incident.upsert' AND json_extract(payload, '$.status') IN (SELECT value FROM json_each(?))").pluck();
  return (incidentId, statuses) => (stmt.get(incidentId, JSON.stringify(statuses)) as number | null | undefined) ?? null;
}

/** A record of the day waiting for the exercise clock (training_script). */
export interface ScriptRecord {
  seq: number;
  t: number;
  feed_id: string;
  record: string;
}

/** A sandbox's day still to come, and what was injected into its exercise (migration 0016). */
export class TrainingScript {
  private readonly dueStmt;
  private readonly nextStmt;
  private readonly addStmt;
  private readonly injectStmt;

  constructor(private readonly db: Db) {
    this.dueStmt = db.prepare('SELECT seq, t, feed_id, record FROM training_script WHERE seq > ? AND t <= ? ORDER BY seq LIMIT 5000');
    this.nextStmt = db.prepare('SELECT t FROM training_script WHERE seq > ? ORDER BY seq LIMIT 1').pluck();
    this.addStmt = db.prepare('INSERT INTO training_script (t, feed_id, record) VALUES (?, ?, ?)');
    this.injectStmt = db.prepare('INSERT OR IGNORE INTO training_injections (entity, t, origin, note) VALUES (?, ?, ?, ?)');
  }

  /** Appends records; callers add them in time order, so seq order is time order. */
  add(records: Iterable<{ t: number; feedId: string; record: unknown }>): number {
    let n = 0;
    for (const r of records) {
      this.addStmt.run(r.t, r.feedId, JSON.stringify(r.record));
      n++;
    }
    return n;
  }

  /** Records after `afterSeq` due by `at` (at most 5,000: call again until empty). */
  due(afterSeq: number, at: number): ScriptRecord[] {
    return this.dueStmt.all(afterSeq, at) as ScriptRecord[];
  }

  /** The instant of the next record after `afterSeq`, or null when the day is all delivered. */
  nextAt(afterSeq: number): number | null {
    return (this.nextStmt.get(afterSeq) as number | undefined) ?? null;
  }

  /** The feed the day's incidents came from most often (injected calls take its name). */
  mainIncidentFeed(): string | null {
    return (this.db.prepare("SELECT feed_id FROM training_script WHERE json_extract(record, '$.kind') = 'incident' GROUP BY feed_id ORDER BY count(*) DESC LIMIT 1").pluck().get() as string | undefined)
      ?? (this.db.prepare("SELECT feed_id FROM incidents GROUP BY feed_id ORDER BY count(*) DESC LIMIT 1").pluck().get() as string | undefined)
      ?? null;
  }

  /** A few of the day's incident ids of `feedId` (injected calls are given ids of the same shape). */
  sampleExternalIds(feedId: string): string[] {
    const prefix = `${feedId}:`;
    const fromScript = this.db.prepare("SELECT json_extract(record, '$.externalId') FROM training_script WHERE feed_id = ? AND json_extract(record, '$.kind') = 'incident' LIMIT 50").pluck().all(feedId) as string[];
    const stored = this.db.prepare('SELECT id FROM incidents WHERE feed_id = ? LIMIT 50').pluck().all(feedId) as string[];
    return [...fromScript, ...stored.map((id) => id.slice(prefix.length))];
  }

  markInjected(entity: string, t: number, origin: 'scenario' | 'trainer', note: string | null): void {
    this.injectStmt.run(entity, t, origin, note);
  }

  injections(): { entity: string; t: number; origin: 'scenario' | 'trainer'; note: string | null }[] {
    return this.db.prepare('SELECT entity, t, origin, note FROM training_injections ORDER BY t, entity').all() as { entity: string; t: number; origin: 'scenario' | 'trainer'; note: string | null }[];
  }
}

/** The injected entities of a sandbox, read-only (a debrief opens the file itself). */
export function injectedEntities(db: Db): Map<string, { t: number; origin: string; note: string | null }> {
  const rows = db.prepare('SELECT entity, t, origin, note FROM training_injections').all() as { entity: string; t: number; origin: string; note: string | null }[];
  return new Map(rows.map((r) => [r.entity, r]));
}
