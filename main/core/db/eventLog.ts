import crypto from 'node:crypto';
import type { Db } from './connection';

export interface NewEvent {
  t: number;
  source: string;
  kind: string;
  entity: string;
  payload: unknown;
}

export interface AppendedEvent extends NewEvent {
  seq: number;
  uid: string;
  hlc: string;
}

/**
 * The append-only log. A hybrid logical clock orders events across workstations even when their
 * wall clocks disagree: it never goes backwards and stays close to physical time.
 */
export class EventLog {
  readonly workstationId: string;
  private seq: number;
  private hlcMs = 0;
  private hlcCounter = 0;
  private readonly insert;
  private readonly lastPayloadStmt;

  constructor(private readonly db: Db) {
    this.workstationId = workstationIdOf(db);
    const last = db.prepare('SELECT seq, hlc FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hlc: string } | undefined;
    this.seq = last?.seq ?? 0;
    if (last) this.hlcMs = Number(last.hlc.split(':')[0]);
    this.lastPayloadStmt = db.prepare('SELECT payload FROM events WHERE entity = ? ORDER BY seq DESC LIMIT 1').pluck();
    this.insert = db.prepare('INSERT INTO events (seq, uid, hlc, t, source, kind, entity, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Must run inside the caller's transaction, with the projection update it belongs to. */
  /** `physicalNow`: when the data arrived (a feed batch's receivedAt), for the clock's physical part. */
  append(event: NewEvent, physicalNow = Date.now()): AppendedEvent {
    const seq = this.seq + 1;
    const uid = `${this.workstationId}:${seq}`;
    const hlc = this.tick(physicalNow);
    this.insert.run(seq, uid, hlc, event.t, event.source, event.kind, event.entity, JSON.stringify(event.payload));
    this.seq = seq;
    // Completed in place rather than copied: callers pass a fresh literal, and a feed batch appends thousands.
    const appended = event as AppendedEvent;
    appended.seq = seq;
    appended.uid = uid;
    appended.hlc = hlc;
    return appended;
  }

  /** The payload (JSON) of the entity's latest event, or undefined. */
  lastPayload(entity: string): string | undefined {
    return this.lastPayloadStmt.get(entity) as string | undefined;
  }

  /** The transaction that called append() rolled back: forget the sequence numbers it used. */
  resync(): void {
    const last = this.db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number | null };
    this.seq = last.seq ?? 0;
  }

  private tick(now: number): string {
    if (now > this.hlcMs) {
      this.hlcMs = now;
      this.hlcCounter = 0;
    } else {
      this.hlcCounter += 1;
    }
    return `${String(this.hlcMs).padStart(15, '0')}:${String(this.hlcCounter).padStart(6, '0')}`;
  }
}

function workstationIdOf(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'workstation_id'").get() as { value: string } | undefined;
  if (row) return row.value;
  const id = crypto.randomUUID().slice(0, 8);
  db.prepare("INSERT INTO meta (key, value) VALUES ('workstation_id', ?)").run(id);
  return id;
}
