import type { Db } from './connection';

/** One row of the `audit` table, as stored (the hash chain lives in audit/journal.ts). */
export interface AuditRow {
  id: number;
  t: number;
  user: string;
  role: string;
  kind: string;
  action: string;
  target: string;
  reason: string | null;
  origin: string;
  prev_hash: string;
  hash: string;
}

/** The signed stand-in for every purged row (migration 0010). */
export interface Checkpoint {
  t: number;
  /** The journal's identity: the hash of its original first row (anchors name it). */
  journal: string;
  lastId: number;
  lastHash: string;
  purged: number;
  sig: string;
}

/** Every statement over `audit` and `audit_checkpoint`; the journal decides what they mean. */
export class AuditTable {
  private readonly lastStmt;
  private readonly insertStmt;
  private checkpointStmt: import('better-sqlite3').Statement | undefined;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit (id, t, user, role, kind, action, target, reason, origin, prev_hash, hash) VALUES (@id, @t, @user, @role, @kind, @action, @target, @reason, @origin, @prev_hash, @hash)',
    );
  }

  insert(row: AuditRow): void {
    this.insertStmt.run(row);
  }

  last(): { id: number; hash: string } | undefined {
    return this.lastStmt.get() as { id: number; hash: string } | undefined;
  }

  first(): { id: number; hash: string } | undefined {
    return this.db.prepare('SELECT id, hash FROM audit ORDER BY id LIMIT 1').get() as { id: number; hash: string } | undefined;
  }

  /** Newest first. */
  list(options: { target?: string; limit: number }): AuditRow[] {
    return (
      options.target
        ? this.db.prepare('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?').all(options.target, options.limit)
        : this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(options.limit)
    ) as AuditRow[];
  }

  /** Oldest first. */
  all(): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit ORDER BY id').all() as AuditRow[];
  }

  /** Oldest first, one row at a time (verify walks journals of millions of rows). */
  iterate(): Iterable<AuditRow> {
    return this.db.prepare('SELECT * FROM audit ORDER BY id').iterate() as Iterable<AuditRow>;
  }

  /** One prepared statement for many lookups. */
  hashLookup(): (id: number) => string | undefined {
    const stmt = this.db.prepare('SELECT hash FROM audit WHERE id = ?').pluck();
    return (id) => stmt.get(id) as string | undefined;
  }

  oldestTime(): number | undefined {
    return this.db.prepare('SELECT t FROM audit ORDER BY id LIMIT 1').pluck().get() as number | undefined;
  }

  /** The first row written at or after `t`, or null when none is. */
  firstIdSince(t: number): number | null {
    return this.db.prepare('SELECT min(id) FROM audit WHERE t >= ?').pluck().get(t) as number | null;
  }

  deleteUpTo(id: number): number {
    return this.db.prepare('DELETE FROM audit WHERE id <= ?').run(id).changes;
  }

  checkpoint(): Checkpoint | null {
    this.checkpointStmt ??= this.db.prepare('SELECT t, journal, last_id AS lastId, last_hash AS lastHash, purged, sig FROM audit_checkpoint WHERE one = 1');
    return (this.checkpointStmt.get() as Checkpoint | undefined) ?? null;
  }

  saveCheckpoint(c: Checkpoint): void {
    this.db
      .prepare('INSERT INTO audit_checkpoint (one, t, journal, last_id, last_hash, purged, sig) VALUES (1, @t, @journal, @lastId, @lastHash, @purged, @sig) ON CONFLICT (one) DO UPDATE SET t = excluded.t, journal = excluded.journal, last_id = excluded.last_id, last_hash = excluded.last_hash, purged = excluded.purged, sig = excluded.sig')
      .run(c);
  }
}
