import type { Incident, IncidentFields, IncidentStatus } from '../../../common/domain/incident';
import type { Db } from './connection';
import { selectByIds } from './getMany';

export interface IncidentRow {
  id: string;
  feed_id: string;
  external_id: string;
  category: string;
  priority: number;
  status: string;
  title: string;
  description: string | null;
  address: string | null;
  lon: number;
  lat: number;
  occurred_at: number;
  closed_at: number | null;
  simulated: number;
  updated_at: number;
  seq: number;
  operator_owned: number;
  feed_status: string | null;
  feed_priority: number | null;
  feed_closed_at: number | null;
  merged_into: string | null;
  acknowledged_at: number | null;
  dispatched_at: number | null;
  on_scene_at: number | null;
  /** When the source last updated it (or the arrival time, when `source_time_arrival` = 1). */
  source_time: number | null;
  source_time_arrival: number;
  rowid?: number;
}

function fromRow(r: IncidentRow): Incident {
  return {
    id: r.id,
    feedId: r.feed_id,
    externalId: r.external_id,
    category: r.category,
    priority: r.priority,
    status: r.status as IncidentStatus,
    title: r.title,
    ...(r.description != null ? { description: r.description } : {}),
    ...(r.address != null ? { address: r.address } : {}),
    lon: r.lon,
    lat: r.lat,
    occurredAt: r.occurred_at,
    ...(r.closed_at != null ? { closedAt: r.closed_at } : {}),
    simulated: r.simulated === 1,
    updatedAt: r.updated_at,
    seq: r.seq,
    ...(r.operator_owned === 1 ? { operatorOwned: true } : {}),
    // Shown only where the feed disagrees on whether the incident is over (an operator working
    // ahead of a feed that still says "new" is the normal case, not news).
    ...(r.operator_owned === 1 && r.feed_status != null && (r.feed_status === 'closed') !== (r.status === 'closed') ? { feedStatus: r.feed_status as IncidentStatus } : {}),
    ...(r.operator_owned === 1 && r.feed_priority != null && r.feed_priority !== r.priority ? { feedPriority: r.feed_priority } : {}),
    ...(r.merged_into != null ? { mergedInto: r.merged_into } : {}),
    ...(r.acknowledged_at != null ? { acknowledgedAt: r.acknowledged_at } : {}),
    ...(r.dispatched_at != null ? { dispatchedAt: r.dispatched_at } : {}),
    ...(r.on_scene_at != null ? { onSceneAt: r.on_scene_at } : {}),
    ...(r.source_time != null && r.source_time_arrival === 0 ? { sourceUpdatedAt: r.source_time } : {}),
  };
}

const roundAway = (v: number): number => Math.sign(v) * Math.floor(Math.abs(v) + 0.5);

/** Largest second an rtree_i32 holds: "not closed yet". */
const OPEN_FOREVER = 2_147_483_647;

export interface IncidentQuery {
  from?: number;
  to?: number;
  at?: number;
  bbox?: [west: number, south: number, east: number, north: number];
}

export function incidentId(feedId: string, externalId: string): string {
  return `${feedId}:${externalId}`;
}

/**
 * The fields a feed controls; equal fields mean the record brings nothing new. Status, priority
 * and closing are compared with what the feed last said, not with the operator's decision, so a
 * feed repeating itself about an incident an operator took over stores nothing.
 */
function sameFields(row: IncidentRow, a: Incident, b: IncidentFields): boolean {
  return (
    a.category === b.category &&
    (row.feed_priority ?? a.priority) === b.priority &&
    (row.feed_status ?? a.status) === b.status &&
    a.title === b.title &&
    (a.description ?? null) === (b.description ?? null) &&
    (a.address ?? null) === (b.address ?? null) &&
    a.lon === b.lon &&
    a.lat === b.lat &&
    a.occurredAt === b.occurredAt &&
    (row.feed_status != null ? row.feed_closed_at : (a.closedAt ?? null)) === (b.closedAt ?? null)
  );
}

/** The `incidents` projection: current state, derived from the event log. */
export class IncidentRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly rtreeStmt;
  private readonly operatorStmt;
  private readonly sourceTimeStmt;
  private readonly rtreeInsertStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT rowid, * FROM incidents WHERE id = ?');
    // Positional parameters: this runs once per changed record of every feed batch, and named ones
    // cost an object each. No RETURNING: it made the statement three times slower (bench/ingest.mjs).
    this.upsertStmt = db.prepare(`
      INSERT INTO incidents (id, feed_id, external_id, category, priority, status, title, description, address,
                             lon, lat, occurred_at, closed_at, simulated, updated_at, seq, feed_status, feed_priority, feed_closed_at,
                             source_time, source_time_arrival)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET
        -- once an operator owns the lifecycle, the feed no longer moves status, priority or closing
        priority = CASE WHEN operator_owned = 1 THEN priority ELSE excluded.priority END,
        status = CASE WHEN operator_owned = 1 THEN status ELSE excluded.status END,
        closed_at = CASE WHEN operator_owned = 1 THEN closed_at ELSE excluded.closed_at END,
        feed_status = excluded.status, feed_priority = excluded.priority, feed_closed_at = excluded.closed_at,
        category = excluded.category, title = excluded.title, description = excluded.description, address = excluded.address,
        lon = excluded.lon, lat = excluded.lat, occurred_at = excluded.occurred_at,
        updated_at = excluded.updated_at, seq = excluded.seq,
        source_time = excluded.source_time, source_time_arrival = excluded.source_time_arrival`);
    this.sourceTimeStmt = db.prepare('UPDATE incidents SET source_time = ?, source_time_arrival = 0 WHERE id = ?');
    this.operatorStmt = db.prepare(`
      UPDATE incidents SET operator_owned = 1, status = @status, priority = @priority, closed_at = @closedAt,
        merged_into = @mergedInto, acknowledged_at = @acknowledgedAt, dispatched_at = @dispatchedAt, on_scene_at = @onSceneAt,
        updated_at = @updatedAt, seq = @seq
      WHERE id = @id`);
    // The R*Tree follows the row as the projection keeps it (an operator's close included).
    this.rtreeStmt = db.prepare(`
      INSERT OR REPLACE INTO incidents_rtree (rid, min_lon, max_lon, min_lat, max_lat, open_from, open_until)
      SELECT rowid, CAST(round(lon * 1e7) AS INTEGER), CAST(round(lon * 1e7) AS INTEGER),
             CAST(round(lat * 1e7) AS INTEGER), CAST(round(lat * 1e7) AS INTEGER),
             occurred_at / 1000,
             -- a feed may close an incident "before" it occurred: the interval must still be valid
             max(occurred_at / 1000, COALESCE((closed_at + 999) / 1000, ${OPEN_FOREVER}))
      FROM incidents WHERE id = ?`);
    this.rtreeInsertStmt = db.prepare('INSERT OR REPLACE INTO incidents_rtree (rid, min_lon, max_lon, min_lat, max_lat, open_from, open_until) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  get(id: string): Incident | null {
    const row = this.getStmt.get(id) as IncidentRow | undefined;
    return row ? fromRow(row) : null;
  }

  private readonly manyStmts = new Map<number, ReturnType<Db['prepare']>>();

  /** The current incidents among `ids`, by id (for a feed batch). */
  /** Rows, not incidents: comparing with a feed record needs what the feed last said (feed_* columns). */
  getManyRows(ids: readonly string[]): Map<string, IncidentRow> {
    return new Map(selectByIds<IncidentRow>(this.db, this.manyStmts, 'incidents', ids, 'rowid, *').map((r) => [r.id, r]));
  }

  /** True when the feed record would change what the cache holds (`row`: already fetched). */
  differsFrom(row: IncidentRow | undefined, fields: IncidentFields): boolean {
    return !row || !sameFields(row, fromRow(row), fields);
  }

  /** True when the feed record would change what the cache holds. */
  differs(id: string, fields: IncidentFields): boolean {
    const row = this.getStmt.get(id) as IncidentRow | undefined;
    return !row || !sameFields(row, fromRow(row), fields);
  }

  /**
   * Applies a feed's version of the incident (`previous`: the row as it stood, if any); returns
   * what the cache now holds (the operator's decisions kept) and the row, for the next record of
   * the batch. `sourceTime`: the feed's time of this version, or its arrival time (`fromArrival`).
   */
  upsert(incident: Incident, sourceTime: number, fromArrival: boolean, previous?: IncidentRow): { incident: Incident; row: IncidentRow } {
    const closedAt = incident.closedAt ?? null;
    const description = incident.description ?? null;
    const address = incident.address ?? null;
    const simulated = incident.simulated ? 1 : 0;
    const arrival = fromArrival ? 1 : 0;
    const info = this.upsertStmt.run(
      incident.id, incident.feedId, incident.externalId, incident.category, incident.priority, incident.status, incident.title,
      description, address, incident.lon, incident.lat, incident.occurredAt, closedAt,
      simulated, incident.updatedAt, incident.seq, incident.status, incident.priority, closedAt, sourceTime, arrival,
    );
    // Only an operator's incident keeps columns the feed did not send: read that one back; any
    // other row is exactly what was just written.
    const row: IncidentRow =
      previous?.operator_owned === 1
        ? (this.getStmt.get(incident.id) as IncidentRow)
        : {
            rowid: previous?.rowid ?? Number(info.lastInsertRowid), id: incident.id, feed_id: incident.feedId, external_id: incident.externalId,
            category: incident.category, priority: incident.priority, status: incident.status, title: incident.title, description, address,
            lon: incident.lon, lat: incident.lat, occurred_at: incident.occurredAt, closed_at: closedAt, simulated, updated_at: incident.updatedAt,
            seq: incident.seq, operator_owned: 0, feed_status: incident.status, feed_priority: incident.priority, feed_closed_at: closedAt,
            merged_into: previous?.merged_into ?? null, acknowledged_at: previous?.acknowledged_at ?? null, dispatched_at: previous?.dispatched_at ?? null,
            on_scene_at: previous?.on_scene_at ?? null, source_time: sourceTime, source_time_arrival: arrival,
          };
    // The R*Tree entry moves only when place or open interval did: most updates change a status or a text.
    if (!previous || previous.lon !== row.lon || previous.lat !== row.lat || previous.occurred_at !== row.occurred_at || previous.closed_at !== row.closed_at) {
      this.indexRow(row);
    }
    // The incident as given is what the row holds, unless an operator's decisions were kept.
    return { incident: row.operator_owned === 1 ? fromRow(row) : incident, row };
  }

  /** The source says the same thing as stored, at a later time: remember the time, so a late older version still loses. */
  touchSourceTime(id: string, sourceTime: number): void {
    this.sourceTimeStmt.run(sourceTime, id);
  }

  /** The R*Tree entry of a row, computed here as the SQL of rtreeStmt does (SQLite's round: half away from zero). */
  private indexRow(r: IncidentRow): void {
    const lon = roundAway(r.lon * 1e7);
    const lat = roundAway(r.lat * 1e7);
    const from = Math.trunc(r.occurred_at / 1000);
    // a feed may close an incident "before" it occurred: the interval must still be valid
    const until = Math.max(from, r.closed_at == null ? OPEN_FOREVER : Math.trunc((r.closed_at + 999) / 1000));
    this.rtreeInsertStmt.run(r.rowid, lon, lon, lat, lat, from, until);
  }

  /** Applies an operator's decision; the incident is the operator's from now on. */
  applyOperator(incident: Incident): Incident {
    this.operatorStmt.run({
      id: incident.id,
      status: incident.status,
      priority: incident.priority,
      closedAt: incident.closedAt ?? null,
      mergedInto: incident.mergedInto ?? null,
      acknowledgedAt: incident.acknowledgedAt ?? null,
      dispatchedAt: incident.dispatchedAt ?? null,
      onSceneAt: incident.onSceneAt ?? null,
      updatedAt: incident.updatedAt,
      seq: incident.seq,
    });
    this.rtreeStmt.run(incident.id);
    return this.get(incident.id)!;
  }

  /**
   * Incidents that occurred in [from, to), or that were open at `at` (occurred by then, not yet
   * closed), optionally inside a bounding box. The R*Tree narrows to whole seconds and 1e-7 degrees;
   * the exact test runs on the incidents themselves.
   */
  count(query: IncidentQuery): number {
    return (this.db.prepare(`SELECT count(*) FROM ${this.where(query)}`).pluck().get(...this.args(query)) as number);
  }

  private where(q: IncidentQuery): string {
    // CROSS JOIN keeps the R*Tree in front: left to itself the planner may walk the incidents by time instead.
    const parts = ['incidents_rtree r CROSS JOIN incidents i ON i.rowid = r.rid WHERE 1'];
    if (q.bbox) parts.push('r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ? AND i.lon BETWEEN ? AND ? AND i.lat BETWEEN ? AND ?');
    if (q.from !== undefined) parts.push('r.open_from >= ? AND i.occurred_at >= ?');
    if (q.to !== undefined) parts.push('r.open_from <= ? AND i.occurred_at < ?');
    if (q.at !== undefined) parts.push('r.open_from <= ? AND r.open_until >= ? AND i.occurred_at <= ? AND (i.closed_at IS NULL OR i.closed_at > ?)');
    return parts.join(' AND ');
  }

  private args(q: IncidentQuery): number[] {
    const out: number[] = [];
    if (q.bbox) {
      const [w, s, e, n] = q.bbox;
      out.push(Math.floor(w * 1e7), Math.ceil(e * 1e7), Math.floor(s * 1e7), Math.ceil(n * 1e7), w, e, s, n);
    }
    if (q.from !== undefined) out.push(Math.floor(q.from / 1000), q.from);
    if (q.to !== undefined) out.push(Math.ceil(q.to / 1000), q.to);
    if (q.at !== undefined) out.push(Math.ceil(q.at / 1000), Math.floor(q.at / 1000), q.at, q.at);
    return out;
  }

  list(options: { statuses?: readonly IncidentStatus[]; limit: number }): Incident[] {
    const where = options.statuses?.length ? `WHERE status IN (${options.statuses.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM incidents ${where} ORDER BY occurred_at DESC, id LIMIT ?`)
      .all(...(options.statuses ?? []), options.limit) as IncidentRow[];
    return rows.map(fromRow);
  }

  total(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
  }
}
