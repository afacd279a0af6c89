import crypto from 'node:crypto';
import type { AuditEntry, AuditVerification } from '../../../common/domain/audit';
import type { Role } from '../../../common/domain/roles';
import type { Db } from '../db/connection';

export interface JournalRecord {
  t: number;
  user: string;
  role: Role;
  kind: 'action' | 'consultation';
  action: string;
  target: string;
  reason?: string;
  origin: string;
}

interface Row {
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

const GENESIS = '0'.repeat(64);

/**
 * Each row's hash covers its own fields and the previous row's hash, so changing, inserting or
 * deleting a row anywhere breaks every link after it. Fields are hashed as a JSON array: no
 * separator can be smuggled into a value to make two different rows hash alike.
 */
export function rowHash(prevHash: string, r: Omit<Row, 'prev_hash' | 'hash'>): string {
  const fields = [r.id, r.t, r.user, r.role, r.kind, r.action, r.target, r.reason, r.origin];
  return crypto.createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  t: r.t,
  user: r.user,
  role: r.role as Role,
  kind: r.kind as AuditEntry['kind'],
  action: r.action,
  target: r.target,
  ...(r.reason != null ? { reason: r.reason } : {}),
  origin: r.origin,
  hash: r.hash,
});

/**
 * The audit journal (EU Directive 2016/680 art. 25): every consultation and action, append-only
 * and hash-chained. `vigie audit verify` walks the chain and names the first broken row.
 */
export class AuditJournal {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit (id, t, user, role, kind, action, target, reason, origin, prev_hash, hash) VALUES (@id, @t, @user, @role, @kind, @action, @target, @reason, @origin, @prev_hash, @hash)',
    );
  }

  /** Runs inside the caller's transaction when it journals an action, so both land or neither. */
  append(record: JournalRecord): AuditEntry {
    const last = this.lastStmt.get() as { id: number; hash: string } | undefined;
    const prevHash = last?.hash ?? GENESIS;
    const base = { id: (last?.id ?? 0) + 1, ...record, reason: record.reason ?? null };
    const row: Row = { ...base, prev_hash: prevHash, hash: rowHash(prevHash, base) };
    this.insertStmt.run(row);
    return toEntry(row);
  }

  list(options: { target?: string; limit: number }): AuditEntry[] {
    const rows = options.target
      ? this.db.prepare('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?').all(options.target, options.limit)
      : this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(options.limit);
    return (rows as Row[]).map(toEntry);
  }

  /** The newest row's id and hash, or null for an empty journal. */
  head(): { id: number; hash: string } | null {
    return (this.lastStmt.get() as { id: number; hash: string } | undefined) ?? null;
  }

  /** The first row's id and hash: what identifies this journal to its external anchors. */
  first(): { id: number; hash: string } | null {
    return (this.db.prepare('SELECT id, hash FROM audit ORDER BY id LIMIT 1').get() as { id: number; hash: string } | undefined) ?? null;
  }

  /** Looks up row hashes by id (one prepared statement for many lookups). */
  hashAt(): (id: number) => string | undefined {
    const stmt = this.db.prepare('SELECT hash FROM audit WHERE id = ?').pluck();
    return (id) => stmt.get(id) as string | undefined;
  }

  all(): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit ORDER BY id').all() as Row[]).map(toEntry);
  }

  verify(): AuditVerification {
    let prev = GENESIS;
    let expectedId = 1;
    let rows = 0;
    for (const r of this.db.prepare('SELECT * FROM audit ORDER BY id').iterate() as Iterable<Row>) {
      rows++;
      const broken = (problem: string): AuditVerification => ({ ok: false, rows, firstBroken: { id: r.id, problem } });
      if (r.id !== expectedId) return broken(`row ${expectedId}${r.id > expectedId + 1 ? `–${r.id - 1}` : ''} missing before row ${r.id}`);
      if (r.prev_hash !== prev) return broken('its link to the previous row does not match (a row before it was changed or removed)');
      const { prev_hash: _p, hash: _h, ...fields } = r;
      if (rowHash(prev, fields) !== r.hash) return broken('its content does not match its hash (the row was changed)');
      prev = r.hash;
      expectedId++;
    }
    return { ok: true, rows };
  }
}
