import type { Alarm, AlarmKind, AlarmMember, AlarmState } from '../../../common/domain/alarm';
import type { Db } from './connection';

interface Row {
  id: number;
  kind: string;
  priority: number;
  district: string | null;
  title: string;
  state: string;
  level: number;
  raised_at: number;
  last_at: number;
  count: number;
  members: string;
  seen_by: string | null;
  seen_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  closed_by: string | null;
  closed_at: number | null;
  escalated_at: number | null;
}

/** Members kept per alarm: a burst of 400 still counts 400, the list shows the newest 50. */
export const MEMBERS_KEPT = 50;

function members(json: string): AlarmMember[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? (parsed as AlarmMember[]) : [];
  } catch {
    // A damaged member list must not hide the alarm itself: it is shown with its count.
    return [];
  }
}

const toAlarm = (r: Row): Alarm => ({
  id: r.id,
  kind: r.kind as AlarmKind,
  priority: r.priority,
  district: r.district,
  title: r.title,
  state: r.state as AlarmState,
  level: r.level,
  raisedAt: r.raised_at,
  lastAt: r.last_at,
  count: r.count,
  members: members(r.members),
  seenBy: r.seen_by,
  seenAt: r.seen_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  escalatedAt: r.escalated_at,
});

/** The `alarms` and `alarm_sources` tables (migration 0013). */
export class AlarmTable {
  constructor(private readonly db: Db) {}

  get(id: number): Alarm | null {
    const row = this.db.prepare('SELECT * FROM alarms WHERE id = ?').get(id) as Row | undefined;
    return row ? toAlarm(row) : null;
  }

  /** Open alarms (not closed), oldest first; with `closedSince`, also those closed after it. */
  open(closedSince?: number): Alarm[] {
    const rows = (closedSince === undefined
      ? this.db.prepare("SELECT * FROM alarms WHERE state <> 'closed' ORDER BY raised_at, id").all()
      : this.db.prepare("SELECT * FROM alarms WHERE state <> 'closed' OR closed_at >= ? ORDER BY raised_at, id").all(closedSince)) as Row[];
    return rows.map(toAlarm);
  }

  /** Alarms that may still escalate: not acknowledged, below the last level. */
  escalating(): Alarm[] {
    return (this.db.prepare("SELECT * FROM alarms WHERE state IN ('new', 'seen') AND level < 2 ORDER BY raised_at, id").all() as Row[]).map(toAlarm);
  }

  /** The group a new member of `kind` in `district` joins: not yet acknowledged, its newest member at or after `since`. */
  groupFor(kind: AlarmKind, district: string | null, since: number): Alarm | null {
    const row = this.db
      .prepare("SELECT * FROM alarms WHERE kind = ? AND district IS ? AND state IN ('new', 'seen') AND last_at >= ? ORDER BY last_at DESC LIMIT 1")
      .get(kind, district, since) as Row | undefined;
    return row ? toAlarm(row) : null;
  }

  insert(a: Omit<Alarm, 'id'>): Alarm {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO alarms (kind, priority, district, title, state, level, raised_at, last_at, count, members, seen_by, seen_at, acknowledged_by, acknowledged_at, closed_by, closed_at, escalated_at)
         VALUES (@kind, @priority, @district, @title, @state, @level, @raisedAt, @lastAt, @count, @members, @seenBy, @seenAt, @acknowledgedBy, @acknowledgedAt, @closedBy, @closedAt, @escalatedAt)`,
      )
      .run({ ...a, members: JSON.stringify(a.members.slice(0, MEMBERS_KEPT)) });
    return { ...a, id: Number(lastInsertRowid) };
  }

  /** Writes every field of `a` (the service computes the next state; the table stores it). */
  update(a: Alarm): void {
    this.db
      .prepare(
        `UPDATE alarms SET priority = @priority, title = @title, state = @state, level = @level, last_at = @lastAt, count = @count, members = @members,
           seen_by = @seenBy, seen_at = @seenAt, acknowledged_by = @acknowledgedBy, acknowledged_at = @acknowledgedAt, closed_by = @closedBy, closed_at = @closedAt, escalated_at = @escalatedAt
         WHERE id = @id`,
      )
      .run({ ...a, members: JSON.stringify(a.members.slice(0, MEMBERS_KEPT)) });
  }

  /** Whether `source` has already raised (or joined) an alarm. */
  hasSource(source: string): boolean {
    return this.db.prepare('SELECT 1 FROM alarm_sources WHERE source = ?').get(source) !== undefined;
  }

  addSource(source: string, alarmId: number, t: number): void {
    this.db.prepare('INSERT OR IGNORE INTO alarm_sources (source, alarm_id, t) VALUES (?, ?, ?)').run(source, alarmId, t);
  }
}
