import type { QuarantineEntry } from '../../../common/contract';
import type { Db } from './connection';

/** Feed input that could not be stored, kept byte for byte with the reason, for a person to look at. */
export class QuarantineRepository {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT INTO quarantine (feed_id, received_at, reason, raw) VALUES (?, ?, ?, ?)');
  }

  add(feedId: string, receivedAt: number, reason: string, raw: string): void {
    this.insertStmt.run(feedId, receivedAt, reason, Buffer.from(raw, 'utf8'));
  }

  list(limit: number, feedId?: string): QuarantineEntry[] {
    const rows = (
      feedId
        ? this.db.prepare('SELECT * FROM quarantine WHERE feed_id = ? ORDER BY id DESC LIMIT ?').all(feedId, limit)
        : this.db.prepare('SELECT * FROM quarantine ORDER BY id DESC LIMIT ?').all(limit)
    ) as { id: number; feed_id: string; received_at: number; reason: string; raw: Buffer }[];
    return rows.map((r) => ({ id: r.id, feedId: r.feed_id, receivedAt: r.received_at, reason: r.reason, raw: r.raw.toString('utf8') }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
  }
}
