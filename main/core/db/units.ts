import type { Unit, TrailPoint } from '../../../common/domain/entities';
import type { UnitFields } from '../../../common/domain/unit';
import type { Db } from './connection';
import { selectByIds } from './getMany';
import { isOutdated } from './sourceOrder';

interface Row {
  id: string;
  feed_id: string;
  unit_id: string;
  callsign: string | null;
  unit_type: string;
  status: string | null;
  lon: number;
  lat: number;
  heading: number | null;
  speed: number | null;
  t: number;
  expires_at: number | null;
  updated_at: number;
  seq: number;
  simulated?: number;
}

/** The part of a unit's current state that decides what a new report changes. */
export type UnitCurrent = Pick<Unit, 'callsign' | 'unitType' | 'status' | 't' | 'seq'>;

const fromRow = (r: Row, simulated: boolean): Unit => ({
  id: r.id,
  feedId: r.feed_id,
  unitId: r.unit_id,
  ...(r.callsign != null ? { callsign: r.callsign } : {}),
  unitType: r.unit_type as Unit['unitType'],
  ...(r.status != null ? { status: r.status } : {}),
  lon: r.lon,
  lat: r.lat,
  ...(r.heading != null ? { heading: r.heading } : {}),
  ...(r.speed != null ? { speed: r.speed } : {}),
  t: r.t,
  ...(r.expires_at != null ? { expiresAt: r.expires_at } : {}),
  simulated,
  updatedAt: r.updated_at,
  seq: r.seq,
});

const DETAIL_KEYS = ['routeId', 'occupancy', 'team', 'teamRole', 'battery', 'client'] as const;

function withDetails(unit: Unit, identity: string | null): Unit {
  if (!identity) return unit;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(identity) as Record<string, unknown>;
  } catch {
    return unit;
  }
  const out = unit as Record<string, unknown>;
  for (const k of DETAIL_KEYS) if (payload[k] !== undefined && payload[k] !== null) out[k] = payload[k];
  return unit;
}

/**
 * Current state of units plus their trail. Positions go to `unit_positions` (compact, no JSON);
 * the event log only hears about changes of identity or status.
 */
export class UnitRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly positionStmt;
  private readonly moveStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM units WHERE id = ?');
    this.upsertStmt = db.prepare(`
      INSERT INTO units (id, feed_id, unit_id, callsign, unit_type, status, lon, lat, heading, speed, t, expires_at, updated_at, seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET callsign = excluded.callsign, unit_type = excluded.unit_type, status = excluded.status,
        lon = excluded.lon, lat = excluded.lat, heading = excluded.heading, speed = excluded.speed, t = excluded.t,
        expires_at = excluded.expires_at, updated_at = excluded.updated_at, seq = excluded.seq`);
    this.moveStmt = db.prepare('UPDATE units SET status = ?, lon = ?, lat = ?, heading = ?, speed = ?, t = ?, expires_at = ?, updated_at = ?, seq = ? WHERE id = ?');
    this.positionStmt = db.prepare('INSERT INTO unit_positions (unit, t, lon, lat, heading) VALUES (?, ?, ?, ?, ?)');
  }

  get(id: string, simulated = false): Unit | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? fromRow(row, simulated) : null;
  }

  private readonly manyStmts = new Map<number, ReturnType<Db['prepare']>>();

  /** What ingest needs to know of the units among `ids` (a feed batch): one query per 500. */
  currentMany(ids: readonly string[]): Map<string, UnitCurrent> {
    const out = new Map<string, UnitCurrent>();
    for (const r of selectByIds<Row>(this.db, this.manyStmts, 'units', ids, 'id, callsign, unit_type, status, t, seq')) {
      out.set(r.id, { callsign: r.callsign ?? undefined, unitType: r.unit_type as Unit['unitType'], status: r.status ?? undefined, t: r.t, seq: r.seq });
    }
    return out;
  }

  /** True when the record changes what the unit is (not merely where it is). */
  identityChanged(current: UnitCurrent | null, fields: UnitFields): boolean {
    return !current || current.callsign !== fields.callsign || current.unitType !== fields.unitType || current.status !== fields.status;
  }

  /** Records a position; a report older than the current one only extends the trail. */
  record(id: string, feedId: string, fields: UnitFields, updatedAt: number, seq: number, current: UnitCurrent | null): boolean {
    this.positionStmt.run(id, fields.t, fields.lon, fields.lat, fields.heading ?? null);
    if (current && isOutdated(current.t, fields.t)) return false;
    // Positional parameters: this runs once per position report, and named ones cost an object each.
    // A known unit whose identity did not change only moves: a plain UPDATE, cheaper than an upsert.
    if (current && current.callsign === fields.callsign && current.unitType === fields.unitType) {
      this.moveStmt.run(fields.status ?? null, fields.lon, fields.lat, fields.heading ?? null, fields.speed ?? null, fields.t, fields.expiresAt ?? null, updatedAt, seq, id);
    } else {
      this.upsertStmt.run(id, feedId, fields.unitId, fields.callsign ?? null, fields.unitType, fields.status ?? null, fields.lon, fields.lat, fields.heading ?? null, fields.speed ?? null, fields.t, fields.expiresAt ?? null, updatedAt, seq);
    }
    return true;
  }

  /**
   * Every unit, with what its last identity event says beyond the table's columns (route,
   * occupancy, team, battery, client): `seq` is that event, so this costs one lookup by key.
   */
  list(simulatedFeeds: ReadonlySet<string> = new Set()): Unit[] {
    const rows = this.db.prepare("SELECT u.*, e.payload AS identity FROM units u LEFT JOIN events e ON e.seq = u.seq AND e.kind = 'unit.upsert' ORDER BY u.callsign, u.id").all() as (Row & { identity: string | null })[];
    return rows.map((r) => withDetails(fromRow(r, simulatedFeeds.has(r.feed_id)), r.identity));
  }

  /** Positions of the given units since `since`, oldest first: the trails. */
  trails(since: number, until = Number.MAX_SAFE_INTEGER): Record<string, TrailPoint[]> {
    const rows = this.db.prepare('SELECT unit, t, lon, lat, heading FROM unit_positions WHERE t >= ? AND t <= ? ORDER BY t').raw().all(since, until) as [string, number, number, number, number | null][];
    const out: Record<string, TrailPoint[]> = {};
    for (const [unit, t, lon, lat, heading] of rows) (out[unit] ??= []).push({ t, lon, lat, heading });
    return out;
  }
}
