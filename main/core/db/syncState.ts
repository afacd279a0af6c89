import type { Db } from './connection';

/** A seat's replication state (migration 0008): its cursor and anchor, its outbox, annotation versions. */

export type SyncStateKey = 'cursor' | 'anchor';

export function readSyncState(db: Db, key: SyncStateKey): string | undefined {
  return (db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeSyncState(db: Db, key: SyncStateKey, value: string): void {
  db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** One action in the outbox, its op (and the hub's details, for a rejection) read back from JSON. */
export interface OutboxEntry<Op> {
  n: number;
  uid: string;
  t: number;
  method: string;
  op: Op;
  status: 'pending' | 'acked' | 'rejected';
  code: string | null;
  message: string | null;
  details: Record<string, string>;
  decidedAt: number | null;
}

interface OutboxRow {
  n: number;
  uid: string;
  t: number;
  method: string;
  op: string;
  status: 'pending' | 'acked' | 'rejected';
  code: string | null;
  message: string | null;
  details: string | null;
  decided_at: number | null;
}

const fromRow = <Op>(r: OutboxRow): OutboxEntry<Op> => ({
  n: r.n,
  uid: r.uid,
  t: r.t,
  method: r.method,
  op: JSON.parse(r.op) as Op,
  status: r.status,
  code: r.code,
  message: r.message,
  details: r.details ? (JSON.parse(r.details) as Record<string, string>) : {},
  decidedAt: r.decided_at,
});

/** Actions the hub has not decided yet, in the order they were made. */
export function pendingOutbox<Op>(db: Db): OutboxEntry<Op>[] {
  return (db.prepare("SELECT * FROM sync_outbox WHERE status = 'pending' ORDER BY n").all() as OutboxRow[]).map((r) => fromRow<Op>(r));
}

/** Refused actions the operator has not dismissed, newest first. */
export function rejectedOutbox<Op>(db: Db, limit: number): OutboxEntry<Op>[] {
  return (db.prepare("SELECT * FROM sync_outbox WHERE status = 'rejected' AND dismissed = 0 ORDER BY n DESC LIMIT ?").all(limit) as OutboxRow[]).map((r) => fromRow<Op>(r));
}

export function outboxEntry<Op>(db: Db, uid: string): OutboxEntry<Op> | undefined {
  const row = db.prepare('SELECT * FROM sync_outbox WHERE uid = ?').get(uid) as OutboxRow | undefined;
  return row ? fromRow<Op>(row) : undefined;
}

export function hasOutboxEntry(db: Db, uid: string): boolean {
  return db.prepare('SELECT 1 FROM sync_outbox WHERE uid = ?').get(uid) !== undefined;
}

export function addToOutbox(db: Db, entry: { uid: string; t: number; method: string; op: unknown }): void {
  db.prepare('INSERT INTO sync_outbox (uid, t, method, op) VALUES (?, ?, ?, ?)').run(entry.uid, entry.t, entry.method, JSON.stringify(entry.op));
}

export function markOutboxAcked(db: Db, uid: string, at: number): void {
  db.prepare("UPDATE sync_outbox SET status = 'acked', decided_at = ? WHERE uid = ?").run(at, uid);
}

export function markOutboxRejected(db: Db, uid: string, r: { code: string; message: string; details: Record<string, string>; at: number }): void {
  db.prepare("UPDATE sync_outbox SET status = 'rejected', code = ?, message = ?, details = ?, decided_at = ? WHERE uid = ?").run(r.code, r.message, JSON.stringify(r.details), r.at, uid);
}

export function dismissOutboxEntry(db: Db, uid: string): void {
  db.prepare('UPDATE sync_outbox SET dismissed = 1 WHERE uid = ?').run(uid);
}

/** The action (its uid) that last wrote an entity on this seat. */
export function syncVersion(db: Db, entity: string): string | null {
  return (db.prepare('SELECT op_uid FROM sync_versions WHERE entity = ?').get(entity) as { op_uid: string } | undefined)?.op_uid ?? null;
}

export function setSyncVersion(db: Db, entity: string, uid: string): void {
  db.prepare('INSERT INTO sync_versions (entity, op_uid) VALUES (?, ?) ON CONFLICT (entity) DO UPDATE SET op_uid = excluded.op_uid').run(entity, uid);
}
