import type { Alert } from '../../../common/domain/entities';
import { INDEX_ENTRY_PREFIX, type AlertFields } from '../../../common/domain/alert';
import type { Db } from './connection';

interface Row {
  id: string;
  feed_id: string;
  fields: string;
  cancelled: number;
  updated_at: number;
  seq: number;
}

const fromRow = (r: Row, simulated: boolean): Alert => ({
  ...(JSON.parse(r.fields) as AlertFields),
  id: r.id,
  feedId: r.feed_id,
  cancelled: r.cancelled === 1,
  simulated,
  updatedAt: r.updated_at,
  seq: r.seq,
});

/**
 * CAP alerts, one row per info area. An Update or Cancel marks the alerts it references (same
 * feed, by CAP identifier) as replaced, and a fetched alert replaces its index entry's stand-in: they stay in the log and the table, but are no longer current.
 */
export class AlertRepository {
  private readonly getStmt;
  private readonly fieldsStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.fieldsStmt = db.prepare('SELECT fields FROM alerts WHERE id = ?');
  }

  get(id: string): Alert | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? fromRow(row, false) : null;
  }

  differs(id: string, fields: AlertFields): boolean {
    const row = this.fieldsStmt.get(id) as { fields: string } | undefined;
    return !row || row.fields !== JSON.stringify(fields);
  }

  /** Stores the alert; returns the ids of earlier alerts it cancels or replaces. */
  upsert(id: string, feedId: string, fields: AlertFields, updatedAt: number, seq: number): string[] {
    this.db
      .prepare(
        `INSERT INTO alerts (id, feed_id, alert_id, fields, sent, expires, cancelled, updated_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
         ON CONFLICT(id) DO UPDATE SET fields = excluded.fields, sent = excluded.sent, expires = excluded.expires,
           updated_at = excluded.updated_at, seq = excluded.seq`,
      )
      .run(id, feedId, fields.alertId, JSON.stringify(fields), fields.sent, fields.expires ?? null, updatedAt, seq);
    // An Alert replaces nothing, except the stand-in its CAP index entry gave before it was fetched.
    const references = fields.msgType === 'Update' || fields.msgType === 'Cancel' ? fields.references : fields.references.filter((r) => r.startsWith(INDEX_ENTRY_PREFIX));
    if (references.length === 0) return [];
    const replaced = this.db
      .prepare(`SELECT id FROM alerts WHERE feed_id = ? AND alert_id IN (${references.map(() => '?').join(',')}) AND cancelled = 0 AND alert_id <> ?`)
      .pluck()
      .all(feedId, ...references, fields.alertId) as string[];
    const mark = this.db.prepare('UPDATE alerts SET cancelled = 1, updated_at = ?, seq = ? WHERE id = ?');
    for (const r of replaced) mark.run(updatedAt, seq, r);
    if (fields.msgType === 'Cancel') mark.run(updatedAt, seq, id); // a Cancel is not itself a current alert
    return replaced;
  }

  /** Current alerts: not replaced, not expired at `now`. */
  list(now: number, simulatedFeeds: ReadonlySet<string> = new Set(), includeEnded = false): Alert[] {
    const rows = (
      includeEnded
        ? this.db.prepare('SELECT * FROM alerts ORDER BY sent DESC').all()
        : this.db.prepare('SELECT * FROM alerts WHERE cancelled = 0 AND (expires IS NULL OR expires > ?) ORDER BY sent DESC').all(now)
    ) as Row[];
    return rows.map((r) => fromRow(r, simulatedFeeds.has(r.feed_id)));
  }
}
