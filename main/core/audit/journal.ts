import crypto from 'node:crypto';
import type { AuditEntry, AuditVerification } from '../../../common/domain/audit';
import type { Role } from '../../../common/domain/roles';
import type { Db } from '../db/connection';
import { AuditTable, type AuditRow, type Checkpoint } from '../db/audit';

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

type Row = AuditRow;

const GENESIS = '0'.repeat(64);

export type { Checkpoint };

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
  private readonly table: AuditTable;

  constructor(private readonly db: Db) {
    this.table = new AuditTable(db);
  }

  /** Runs inside the caller's transaction when it journals an action, so both land or neither. */
  append(record: JournalRecord): AuditEntry {
    const last = this.head() ?? undefined;
    const prevHash = last?.hash ?? GENESIS;
    const base = { id: (last?.id ?? 0) + 1, ...record, reason: record.reason ?? null };
    const row: Row = { ...base, prev_hash: prevHash, hash: rowHash(prevHash, base) };
    this.table.insert(row);
    return toEntry(row);
  }

  list(options: { target?: string; limit: number }): AuditEntry[] {
    return this.table.list(options).map(toEntry);
  }

  /** The newest row's id and hash, or null for an empty journal. */
  head(): { id: number; hash: string } | null {
    const last = this.table.last();
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
    return this.table.first() ?? null;
  }

  /** Looks up row hashes by id (one prepared statement for many lookups); the checkpoint answers for its last purged row. */
  hashAt(): (id: number) => string | undefined {
    const hashOf = this.table.hashLookup();
    const checkpoint = this.checkpoint();
    return (id) => (checkpoint && id === checkpoint.lastId ? checkpoint.lastHash : hashOf(id));
  }

  /** When the oldest row still here was written, or null for an empty journal. */
  oldestTime(): number | null {
    return this.table.oldestTime() ?? null;
  }

  /** The retention checkpoint, or null when nothing was ever purged. */
  checkpoint(): Checkpoint | null {
    return this.table.checkpoint();
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
      const firstKept = this.table.firstIdSince(before);
      const head = this.head();
      const lastId = firstKept === null ? (head?.id ?? 0) : firstKept - 1;
      if (lastId <= (previous?.lastId ?? 0)) return 0;
      const journal = previous?.journal ?? this.table.first()!.hash;
      const lastHash = this.table.hashLookup()(lastId)!;
      const purged = (previous?.purged ?? 0) + (lastId - (previous?.lastId ?? 0));
      const base = { t: now, journal, lastId, lastHash, purged };
      this.table.saveCheckpoint({ ...base, sig: checkpointSig(key, base) });
      return this.table.deleteUpTo(lastId);
    })();
  }

  all(): AuditEntry[] {
    return this.table.all().map(toEntry);
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
    for (const r of this.table.iterate()) {
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
