import type { Assignment, AssignmentStatus } from '../../../common/domain/dispatch';
import type { Db } from './connection';

interface Row {
  id: string;
  incident_id: string;
  unit_id: string;
  callsign: string | null;
  status: string;
  assigned_at: number;
  acknowledged_at: number | null;
  en_route_at: number | null;
  on_scene_at: number | null;
  cleared_at: number | null;
  assigned_by: string;
  recommended_unit_id: string | null;
  override_reason: string | null;
  rank: number | null;
  seq: number;
}

const fromRow = (r: Row): Assignment => ({
  id: r.id,
  incidentId: r.incident_id,
  unitId: r.unit_id,
  ...(r.callsign != null ? { callsign: r.callsign } : {}),
  status: r.status as AssignmentStatus,
  assignedAt: r.assigned_at,
  ...(r.acknowledged_at != null ? { acknowledgedAt: r.acknowledged_at } : {}),
  ...(r.en_route_at != null ? { enRouteAt: r.en_route_at } : {}),
  ...(r.on_scene_at != null ? { onSceneAt: r.on_scene_at } : {}),
  ...(r.cleared_at != null ? { clearedAt: r.cleared_at } : {}),
  assignedBy: r.assigned_by,
  ...(r.recommended_unit_id != null ? { recommendedUnitId: r.recommended_unit_id } : {}),
  ...(r.override_reason != null ? { overrideReason: r.override_reason } : {}),
  ...(r.rank != null ? { rank: r.rank } : {}),
  seq: r.seq,
});

/** The `assignments` projection: which unit works which incident, and how far it got. */
export class AssignmentRepository {
  private readonly saveStmt;
  private readonly activeForUnitStmt;

  constructor(private readonly db: Db) {
    // Asked for every unit of every position batch: prepared once.
    this.activeForUnitStmt = db.prepare("SELECT * FROM assignments WHERE unit_id = ? AND status <> 'cleared'");
    this.saveStmt = db.prepare(`
      INSERT INTO assignments (id, incident_id, unit_id, callsign, status, assigned_at, acknowledged_at, en_route_at, on_scene_at,
                               cleared_at, assigned_by, recommended_unit_id, override_reason, rank, seq)
      VALUES (@id, @incidentId, @unitId, @callsign, @status, @assignedAt, @acknowledgedAt, @enRouteAt, @onSceneAt,
              @clearedAt, @assignedBy, @recommendedUnitId, @overrideReason, @rank, @seq)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, acknowledged_at = excluded.acknowledged_at,
        en_route_at = excluded.en_route_at, on_scene_at = excluded.on_scene_at, cleared_at = excluded.cleared_at, seq = excluded.seq`);
  }

  save(a: Assignment): Assignment {
    this.saveStmt.run({
      id: a.id,
      incidentId: a.incidentId,
      unitId: a.unitId,
      callsign: a.callsign ?? null,
      status: a.status,
      assignedAt: a.assignedAt,
      acknowledgedAt: a.acknowledgedAt ?? null,
      enRouteAt: a.enRouteAt ?? null,
      onSceneAt: a.onSceneAt ?? null,
      clearedAt: a.clearedAt ?? null,
      assignedBy: a.assignedBy,
      recommendedUnitId: a.recommendedUnitId ?? null,
      overrideReason: a.overrideReason ?? null,
      rank: a.rank ?? null,
      seq: a.seq,
    });
    return a;
  }

  get(id: string): Assignment | null {
    const row = this.db.prepare('SELECT * FROM assignments WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  forIncident(incidentId: string): Assignment[] {
    return (this.db.prepare('SELECT * FROM assignments WHERE incident_id = ? ORDER BY assigned_at, id').all(incidentId) as Row[]).map(fromRow);
  }

  active(): Assignment[] {
    return (this.db.prepare("SELECT * FROM assignments WHERE status <> 'cleared' ORDER BY assigned_at, id").all() as Row[]).map(fromRow);
  }

  activeForUnit(unitId: string): Assignment | null {
    const row = this.activeForUnitStmt.get(unitId) as Row | undefined;
    return row ? fromRow(row) : null;
  }
}
