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

function checkpointSig(key: Buffer, c: Omit<Checkpoint, 'sig'>): string {
  return crypto.createHmac('sha256', key).update(JSON.stringify(['vigie-audit-checkpoint-v1', c.t, c.journal, c.lastId, c.lastHash, c.purged])).digest('hex');
}

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
  private checkpointStmt: import('better-sqlite3').Statement | undefined;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit (id, t, user, role, kind, action, target, reason, origin, prev_hash, hash) VALUES (@id, @t, @user, @role, @kind, @action, @target, @reason, @origin, @prev_hash, @hash)',
    );
  }

  /** Runs inside the caller's transaction when it journals an action, so both land or neither. */
  append(record: JournalRecord): AuditEntry {
    const last = this.head() ?? undefined;
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
    const last = this.lastStmt.get() as { id: number; hash: string } | undefined;
    if (last) return last;
    // Every row purged by retention: the chain goes on from the checkpoint.
    const checkpoint = this.checkpoint();
    return checkpoint ? { id: checkpoint.lastId, hash: checkpoint.lastHash } : null;
  }

  /**
   * What identifies this journal to its external anchors: its first row's id and hash, or after a
   * retention purge the original first row's hash, kept in the checkpoint.
   */
  first(): { id: number; hash: string } | null {
    const checkpoint = this.checkpoint();
    if (checkpoint) return { id: 1, hash: checkpoint.journal };
    return (this.db.prepare('SELECT id, hash FROM audit ORDER BY id LIMIT 1').get() as { id: number; hash: string } | undefined) ?? null;
  }

  /** Looks up row hashes by id (one prepared statement for many lookups); the checkpoint answers for its last purged row. */
  hashAt(): (id: number) => string | undefined {
    const stmt = this.db.prepare('SELECT hash FROM audit WHERE id = ?').pluck();
    const checkpoint = this.checkpoint();
    return (id) => (checkpoint && id === checkpoint.lastId ? checkpoint.lastHash : (stmt.get(id) as string | undefined));
  }

  /** When the oldest row still here was written, or null for an empty journal. */
  oldestTime(): number | null {
    return (this.db.prepare('SELECT t FROM audit ORDER BY id LIMIT 1').pluck().get() as number | undefined) ?? null;
  }

  /** The retention checkpoint, or null when nothing was ever purged. */
  checkpoint(): Checkpoint | null {
    this.checkpointStmt ??= this.db.prepare('SELECT t, journal, last_id AS lastId, last_hash AS lastHash, purged, sig FROM audit_checkpoint WHERE one = 1');
    const row = this.checkpointStmt.get() as Checkpoint | undefined;
    return row ?? null;
  }

  /**
   * Retention: removes the oldest rows, those older than `before` (ms), in one transaction, and
   * replaces them with a checkpoint signed with `key` (kept outside the journal). Returns how many
   * rows went. The remaining rows still chain to the checkpoint's last hash, so verify() proves
   * them; an edited or removed checkpoint is reported.
   */
  purgeBefore(before: number, key: Buffer, now: number): number {
    return this.db.transaction(() => {
      const previous = this.checkpoint();
      if (previous && !secretEqualsHex(previous.sig, checkpointSig(key, previous))) {
        throw new Error('the journal checkpoint does not match its signature (or the key changed): nothing purged; run `vigie audit verify`');
      }
      // Only a prefix: rows are purged up to the first one that is still young enough to keep.
      const firstKept = this.db.prepare('SELECT min(id) FROM audit WHERE t >= ?').pluck().get(before) as number | null;
      const head = this.head();
      const lastId = firstKept === null ? (head?.id ?? 0) : firstKept - 1;
      if (lastId <= (previous?.lastId ?? 0)) return 0;
      const journal = previous?.journal ?? (this.db.prepare('SELECT hash FROM audit ORDER BY id LIMIT 1').pluck().get() as string);
      const lastHash = this.db.prepare('SELECT hash FROM audit WHERE id = ?').pluck().get(lastId) as string;
      const purged = (previous?.purged ?? 0) + (lastId - (previous?.lastId ?? 0));
      const base = { t: now, journal, lastId, lastHash, purged };
      this.db.prepare('INSERT INTO audit_checkpoint (one, t, journal, last_id, last_hash, purged, sig) VALUES (1, @t, @journal, @lastId, @lastHash, @purged, @sig) ON CONFLICT (one) DO UPDATE SET t = excluded.t, journal = excluded.journal, last_id = excluded.last_id, last_hash = excluded.last_hash, purged = excluded.purged, sig = excluded.sig').run({ ...base, sig: checkpointSig(key, base) });
      return this.db.prepare('DELETE FROM audit WHERE id <= ?').run(lastId).changes;
    })();
  }

  all(): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit ORDER BY id').all() as Row[]).map(toEntry);
  }

  /**
   * Walks the chain. After a retention purge it starts from the checkpoint, whose signature is
   * checked with `key` (null: the key is missing, which is reported, since an unchecked checkpoint
   * could hide a cut).
   */
  verify(key: Buffer | null = null): AuditVerification {
    let prev = GENESIS;
    let expectedId = 1;
    let rows = 0;
    const checkpoint = this.checkpoint();
    if (checkpoint) {
      const broken = (problem: string): AuditVerification => ({ ok: false, rows: 0, firstBroken: { id: checkpoint.lastId, problem } });
      if (!key) return broken('the journal was purged through a retention checkpoint, and its key is missing: the checkpoint cannot be checked (restore the key file named by journal.checkpointKeyFile)');
      if (!secretEqualsHex(checkpoint.sig, checkpointSig(key, checkpoint))) return broken(`the retention checkpoint (rows 1–${checkpoint.lastId}) does not match its signature: it was changed`);
      prev = checkpoint.lastHash;
      expectedId = checkpoint.lastId + 1;
    }
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
    return { ok: true, rows, ...(checkpoint ? { purged: { rows: checkpoint.purged, upTo: checkpoint.lastId, at: checkpoint.t } } : {}) };
  }
}

function secretEqualsHex(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
