import type { Incident, IncidentFields, IncidentStatus } from '../../../common/domain/incident';
import type { Db } from './connection';
import { selectByIds } from './getMany';

interface Row {
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
}

function fromRow(r: Row): Incident {
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
  };
}

export function incidentId(feedId: string, externalId: string): string {
  return `${feedId}:${externalId}`;
}

/** The fields a feed controls; equal fields mean the record brings nothing new. */
function sameFields(a: Incident, b: IncidentFields): boolean {
  return (
    a.category === b.category &&
    a.priority === b.priority &&
    a.status === b.status &&
    a.title === b.title &&
    (a.description ?? null) === (b.description ?? null) &&
    (a.address ?? null) === (b.address ?? null) &&
    a.lon === b.lon &&
    a.lat === b.lat &&
    a.occurredAt === b.occurredAt &&
    (a.closedAt ?? null) === (b.closedAt ?? null)
  );
}

/** The `incidents` projection: current state, derived from the event log. */
export class IncidentRepository {
  private readonly getStmt;
  private readonly upsertStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM incidents WHERE id = ?');
    this.upsertStmt = db.prepare(`
      INSERT INTO incidents (id, feed_id, external_id, category, priority, status, title, description, address,
                             lon, lat, occurred_at, closed_at, simulated, updated_at, seq)
      VALUES (@id, @feedId, @externalId, @category, @priority, @status, @title, @description, @address,
              @lon, @lat, @occurredAt, @closedAt, @simulated, @updatedAt, @seq)
      ON CONFLICT(id) DO UPDATE SET
        category = excluded.category, priority = excluded.priority, status = excluded.status,
        title = excluded.title, description = excluded.description, address = excluded.address,
        lon = excluded.lon, lat = excluded.lat, occurred_at = excluded.occurred_at,
        closed_at = excluded.closed_at, updated_at = excluded.updated_at, seq = excluded.seq`);
  }

  get(id: string): Incident | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  private readonly manyStmts = new Map<number, ReturnType<Db['prepare']>>();

  /** The current incidents among `ids`, by id (for a feed batch). */
  getMany(ids: readonly string[]): Map<string, Incident> {
    return new Map(selectByIds<Row>(this.db, this.manyStmts, 'incidents', ids).map((r) => [r.id, fromRow(r)]));
  }

  /** True when the feed record would change what the cache holds (`current`: already fetched). */
  differsFrom(current: Incident | null | undefined, fields: IncidentFields): boolean {
    return !current || !sameFields(current, fields);
  }

  /** True when the feed record would change what the cache holds. */
  differs(id: string, fields: IncidentFields): boolean {
    const current = this.get(id);
    return !current || !sameFields(current, fields);
  }

  upsert(incident: Incident): void {
    this.upsertStmt.run({
      ...incident,
      description: incident.description ?? null,
      address: incident.address ?? null,
      closedAt: incident.closedAt ?? null,
      simulated: incident.simulated ? 1 : 0,
    });
  }

  list(options: { statuses?: readonly IncidentStatus[]; limit: number }): Incident[] {
    const where = options.statuses?.length ? `WHERE status IN (${options.statuses.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM incidents ${where} ORDER BY occurred_at DESC, id LIMIT ?`)
      .all(...(options.statuses ?? []), options.limit) as Row[];
    return rows.map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
  }
}
