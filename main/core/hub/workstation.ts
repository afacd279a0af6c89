import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { Assignment } from '../../../common/domain/dispatch';
import type { FeedStatus } from '../../../common/domain/feed';
import type { PendingAction, SyncConflict, SyncStatus } from '../../../common/domain/sync';
import type { VigieCore, SyncLink } from '../core';
import type { CallContext, Handlers } from '../dispatch';
import { journalHead } from '../audit/anchor';
import { applyEntry, emitEffects, REPLICATED_METHODS, writeEffects, type AnchorMessage, type HubMessage, type Rejection, type SyncOp } from './replicate';
import { log } from '../log';

const logger = log('sync');

export interface WorkstationOptions {
  /** The hubs, in order of preference: when one cannot be reached, the next is tried. */
  urls: string[];
  workstation: string;
  secret: string;
  /** Longest wait between two connection attempts (ms; default 3000). */
  maxRetryMs?: number;
  /** How often the audit journal's head is anchored at the hub (ms; default 60 s, and at each connection). */
  anchorEveryMs?: number;
}

const EMPTY_JOURNAL = '0'.repeat(64);

/** What the hub last said of this seat's journal (kept in sync_state; shown by audit.verify). */
export interface HubAnchorStatus {
  hub: string;
  newest: { journal: string; id: number; hash: string; at: number } | null;
  problem: string | null;
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

/**
 * A workstation of a hub. Its operator's shared actions (lifecycle, dispatch, annotations) are
 * applied to its own cache at once, so it works through a network cut, and queued in SQLite
 * (`sync_outbox`) until the hub decides them, in order. The hub's ordered stream (feed data and
 * every seat's decided actions) is applied to the cache, resuming from the last entry applied.
 * An action the hub refuses is kept with the hub's reason for its author, and the seat takes the
 * hub's state of what it touched.
 */
export class HubSync implements SyncLink {
  private ws: WebSocket | null = null;
  private online = false;
  private urlIndex = 0;
  private attempt = 0;
  private lastError: string | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly db;
  /** The hub's feeds and their health, as the hub last told. */
  private readonly hubFeeds = new Map<string, FeedStatus>();
  /** The row of this journal the hub anchored last (from its welcome and each acknowledgement). */
  private hubAnchor: { journal: string; id: number } | null = null;
  private anchorTimer: NodeJS.Timeout | null = null;
  private lastAnchorSent = '';

  constructor(
    private readonly core: VigieCore,
    private readonly options: WorkstationOptions,
  ) {
    if (options.urls.length === 0) throw new Error('a workstation needs at least one hub URL');
    this.db = core.store.db;
    core.sync = this;
    core.api = this.wrap(core.api);
  }

  get workstation(): string {
    return this.options.workstation;
  }

  get cursor(): number {
    const row = this.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  private setCursor(seq: number): void {
    this.db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(seq));
  }

  start(): void {
    this.stopped = false;
    this.connect();
    this.anchorTimer = setInterval(() => this.sendAnchor(), this.options.anchorEveryMs ?? 60_000);
    this.anchorTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.anchorTimer) clearInterval(this.anchorTimer);
    this.ws?.close(1000, 'workstation stopping');
    this.ws = null;
    this.online = false;
  }

  status(): SyncStatus {
    const pending = this.db.prepare("SELECT * FROM sync_outbox WHERE status = 'pending' ORDER BY n").all() as OutboxRow[];
    const rejected = this.db.prepare("SELECT * FROM sync_outbox WHERE status = 'rejected' AND dismissed = 0 ORDER BY n DESC LIMIT 50").all() as OutboxRow[];
    return {
      mode: this.online ? 'online' : 'offline',
      workstation: this.options.workstation,
      hub: this.options.urls[this.urlIndex] ?? null,
      cursor: this.cursor,
      pending: pending.map((r): PendingAction => ({ uid: r.uid, t: r.t, method: r.method, target: targetOf(JSON.parse(r.op) as SyncOp) })),
      conflicts: rejected.map((r): SyncConflict => ({
        uid: r.uid,
        t: r.t,
        method: r.method,
        target: targetOf(JSON.parse(r.op) as SyncOp),
        code: r.code as SyncConflict['code'],
        message: r.message ?? '',
        details: r.details ? (JSON.parse(r.details) as Record<string, string>) : {},
        decidedAt: r.decided_at ?? r.t,
      })),
      lastError: this.online ? null : this.lastError,
    };
  }

  /** What the hub last said of this seat's audit journal. */
  anchorStatus(): HubAnchorStatus {
    const row = this.db.prepare("SELECT value FROM sync_state WHERE key = 'anchor'").get() as { value: string } | undefined;
    const saved = row ? (JSON.parse(row.value) as Omit<HubAnchorStatus, 'hub'>) : { newest: null, problem: null };
    return { hub: this.options.urls[this.urlIndex] ?? '', ...saved };
  }

  private saveAnchorStatus(status: Omit<HubAnchorStatus, 'hub'>): void {
    this.db.prepare("INSERT INTO sync_state (key, value) VALUES ('anchor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(status));
  }

  /** Sends the journal's head to the hub when it moved (and at each connection): anchored there by default. */
  private sendAnchor(force = false): void {
    if (!this.online) return;
    // An empty journal is sent too (row 0): emptied after the hub anchored rows of it is a finding.
    const head = journalHead(this.core.store.audit) ?? { first: EMPTY_JOURNAL, id: 0, hash: EMPTY_JOURNAL };
    if (head.id === 0 && !this.hubAnchor) return;
    const key = `${head.first}:${head.id}:${head.hash}`;
    if (!force && key === this.lastAnchorSent) return;
    this.lastAnchorSent = key;
    const at = this.hubAnchor ? { id: this.hubAnchor.id, hash: this.core.store.audit.hashAt()(this.hubAnchor.id) ?? null } : null;
    const message: AnchorMessage = { t: 'anchor', journal: head.first, head: { id: head.id, hash: head.hash }, at };
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  dismiss(uid: string): void {
    this.db.prepare('UPDATE sync_outbox SET dismissed = 1 WHERE uid = ?').run(uid);
    this.changed();
  }

  /** The shared actions go to the hub after they are applied here; everything else is untouched. */
  private wrap(handlers: Handlers): Handlers {
    const wrapped = { ...handlers } as Record<string, (params: unknown, ctx: CallContext) => unknown>;
    // The feeds list shows the hub's feeds (which bring this seat its data) next to any of its own.
    const ownFeeds = handlers['feeds.list'] as (params: unknown, ctx: CallContext) => FeedStatus[];
    wrapped['feeds.list'] = (params, ctx) => {
      const own = ownFeeds(params, ctx);
      return [...own, ...[...this.hubFeeds.values()].filter((f) => !own.some((o) => o.id === f.id))];
    };
    for (const method of REPLICATED_METHODS) {
      const original = handlers[method] as (params: unknown, ctx: CallContext) => unknown;
      wrapped[method] = (params: unknown, ctx: CallContext) => {
        const p = params as Record<string, unknown>;
        const annotationId = method.startsWith('annotations.') && typeof p.id === 'string' ? p.id : undefined;
        const base = annotationId ? this.versionOf(annotationId) : undefined;
        // Applied here first: the operator sees it at once, with or without the hub. A local
        // refusal (already closed here…) throws before anything is queued.
        const result = original(params, ctx) as { id?: string };
        const ids = method === 'dispatch.assign' ? { assignmentId: result.id! } : method === 'annotations.save' && !annotationId ? { annotationId: result.id! } : method === 'incidents.create' ? { incidentId: result.id! } : undefined;
        const op: SyncOp = { uid: `${this.options.workstation}:${crypto.randomUUID()}`, workstation: this.options.workstation, user: ctx.user, role: ctx.role, t: Date.now(), method, params: p, ...(ids ? { ids } : {}), ...(method.startsWith('annotations.') ? { base: base ?? null } : {}) };
        this.enqueue(op);
        return result;
      };
    }
    return wrapped as unknown as Handlers;
  }

  private versionOf(annotationId: string): string | null {
    const row = this.db.prepare('SELECT op_uid FROM sync_versions WHERE entity = ?').get(`annotation:${annotationId}`) as { op_uid: string } | undefined;
    return row?.op_uid ?? null;
  }

  private setVersion(annotationId: string, uid: string): void {
    this.db.prepare('INSERT INTO sync_versions (entity, op_uid) VALUES (?, ?) ON CONFLICT (entity) DO UPDATE SET op_uid = excluded.op_uid').run(`annotation:${annotationId}`, uid);
  }

  private enqueue(op: SyncOp): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO sync_outbox (uid, t, method, op) VALUES (?, ?, ?, ?)').run(op.uid, op.t, op.method, JSON.stringify(op));
      const annotationId = op.method.startsWith('annotations.') ? ((op.params.id as string | undefined) ?? op.ids?.annotationId) : undefined;
      if (annotationId) this.setVersion(annotationId, op.uid);
    })();
    if (this.online) this.send({ t: 'op', op });
    this.changed();
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.options.urls[this.urlIndex]!;
    const ws = new WebSocket(url, { headers: { 'x-vigie-workstation': this.options.workstation, authorization: `Bearer ${this.options.secret}` }, handshakeTimeout: 5000 });
    this.ws = ws;
    // The hub pings (every 10 s unless it says otherwise): 2.5 pings of silence means the link is
    // dead even if no socket said so.
    let silence: NodeJS.Timeout | null = null;
    let heartbeatMs = 10_000;
    const heard = () => {
      if (silence) clearTimeout(silence);
      silence = setTimeout(() => ws.terminate(), heartbeatMs * 2.5);
    };
    ws.on('ping', heard);
    ws.on('open', () => {
      heard();
      ws.send(JSON.stringify({ t: 'hello', cursor: this.cursor }));
    });
    ws.on('unexpected-response', (_req, res) => {
      this.lastError = `the hub refused this workstation (HTTP ${res.statusCode}): check its id and secret`;
      logger.error(`${url}: ${this.lastError}`);
      ws.terminate();
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"t":"welcome"')) heartbeatMs = (JSON.parse(text) as { heartbeatMs?: number }).heartbeatMs ?? heartbeatMs;
      heard();
      try {
        this.onMessage(JSON.parse(text) as HubMessage);
      } catch (error) {
        // Never lost silently: kept in quarantine with the reason (Feeds panel, source "hub").
        const reason = `hub message could not be applied: ${(error as Error).message}`;
        logger.error({ err: error }, reason);
        try {
          this.core.store.quarantine.add('hub', Date.now(), reason, text.slice(0, 64 * 1024));
        } catch {
          // the cache itself is failing: the message above says why
        }
      }
    });
    ws.on('error', (error) => {
      if (!this.lastError?.startsWith('the hub refused')) this.lastError = error.message;
    });
    ws.on('close', () => {
      if (silence) clearTimeout(silence);
      if (this.ws !== ws) return;
      const wasOnline = this.online;
      this.online = false;
      this.ws = null;
      if (wasOnline) {
        this.attempt = 0;
        this.changed();
      } else {
        // This hub could not be reached: try the next one of the list.
        this.urlIndex = (this.urlIndex + 1) % this.options.urls.length;
        this.attempt++;
      }
      if (!this.stopped) {
        const delay = Math.min(this.options.maxRetryMs ?? 3000, 200 * 2 ** Math.min(this.attempt, 5));
        this.timer = setTimeout(() => this.connect(), delay);
      }
    });
  }

  private onMessage(message: HubMessage): void {
    if (message.t === 'welcome') {
      this.online = true;
      this.lastError = null;
      this.attempt = 0;
      this.hubAnchor = message.anchor ?? null;
      this.sendAnchor(true);
      // Every action still undecided, in the order they were made (the hub ignores one it already has).
      const pending = this.db.prepare("SELECT op FROM sync_outbox WHERE status = 'pending' ORDER BY n").all() as { op: string }[];
      for (const row of pending) this.send({ t: 'op', op: JSON.parse(row.op) as SyncOp });
      this.changed();
    } else if (message.t === 'entry') {
      if (message.seq <= this.cursor) return;
      const ownUid = message.kind === 'op' && message.body.op.workstation === this.options.workstation ? message.body.op.uid : null;
      const own = ownUid !== null && this.db.prepare('SELECT 1 FROM sync_outbox WHERE uid = ?').get(ownUid) !== undefined;
      applyEntry(this.core.store, this.core.bus, message.kind === 'feed' ? { kind: 'feed', body: message.body } : { kind: 'op', body: message.body }, own, () => {
        this.setCursor(message.seq);
        if (message.kind === 'op') {
          if (own) this.db.prepare("UPDATE sync_outbox SET status = 'acked', decided_at = ? WHERE uid = ?").run(Date.now(), ownUid);
          for (const a of message.body.effects.annotations) this.setVersion(a.id, message.body.op.uid);
        }
      });
      if (message.kind === 'feed' && message.body.simulated) this.core.simulatedFeeds.add(message.body.feedId);
      if (own) this.changed();
    } else if (message.t === 'rejected') {
      this.onRejected(message.rejection);
    } else if (message.t === 'anchored') {
      this.hubAnchor = { journal: message.journal, id: message.id };
      this.saveAnchorStatus({ newest: { journal: message.journal, id: message.id, hash: message.hash, at: message.at }, problem: null });
    } else if (message.t === 'anchor-refused') {
      logger.error(`the hub found this workstation's audit journal does not follow what it anchored: ${message.problem}`);
      this.saveAnchorStatus({ newest: this.anchorStatus().newest, problem: message.problem });
    } else if (message.t === 'feeds') {
      for (const feed of message.feeds) {
        this.hubFeeds.set(feed.id, feed);
        this.core.bus.emit('feed.status', { feed });
      }
    }
  }

  private onRejected(r: Rejection): void {
    const row = this.db.prepare('SELECT status, op FROM sync_outbox WHERE uid = ?').get(r.uid) as { status: string; op: string } | undefined;
    if (!row || row.status === 'rejected') return;
    const now = Date.now();
    let dropped: Assignment[] = [];
    this.core.store.transaction(() => {
      this.db.prepare("UPDATE sync_outbox SET status = 'rejected', code = ?, message = ?, details = ?, decided_at = ? WHERE uid = ?").run(r.code, r.message, JSON.stringify(r.details), now, r.uid);
      // What this seat created for the refused action goes first: the hub's state takes its place.
      const id = r.drop?.assignmentId;
      const mine = id && !r.state.assignments.some((a) => a.id === id) ? this.core.store.assignments.get(id) : null;
      if (mine && mine.status !== 'cleared') dropped.push(this.core.store.assignments.save({ ...mine, status: 'cleared', clearedAt: now }));
      dropped = [...dropped, ...writeEffects(this.core.store, r.state, now)];
      this.core.store.log.append({ t: now, source: 'hub', kind: 'sync.rejected', entity: entityOf(JSON.parse(row.op) as SyncOp), payload: { uid: r.uid, method: r.method, code: r.code, message: r.message, by: 'hub', loser: (JSON.parse(row.op) as SyncOp).user, winner: r.details.by ?? null } });
    })();
    for (const assignment of dropped) this.core.bus.emit('assignment.changed', { assignment });
    emitEffects(this.core.bus, r.state);
    this.changed();
  }

  private send(message: { t: 'op'; op: SyncOp }): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private changed(): void {
    this.core.bus.emit('sync.changed', { status: this.status() });
  }
}

/** What an action is about, for the pending list and the conflict message. */
function targetOf(op: SyncOp): string {
  const p = op.params;
  if (op.method === 'dispatch.assign') return `${String(p.unitId)} → ${String(p.incidentId)}`;
  if (op.method === 'dispatch.setStatus') return String(p.assignmentId);
  if (op.method.startsWith('annotations.')) return String(p.id ?? op.ids?.annotationId ?? '');
  if (op.method === 'incidents.create') return op.ids?.incidentId ?? String(p.title ?? '');
  return String(p.id ?? '');
}

/** The log entity an action is about (its incident, or its annotation). */
function entityOf(op: SyncOp): string {
  const p = op.params;
  if (op.method === 'dispatch.assign') return String(p.incidentId);
  if (op.method.startsWith('annotations.')) return `annotation:${String(p.id ?? op.ids?.annotationId ?? '')}`;
  if (op.method === 'incidents.create') return op.ids?.incidentId ?? '';
  return String(p.id ?? p.assignmentId ?? '');
}

/** The hub link a profile's config.json asks for (`"hub": {urls, workstation, secretFile}`), or null. */
export function hubLinkFromConfig(core: VigieCore): WorkstationOptions | null {
  const hub = core.config.hub;
  if (!hub) return null;
  const file = path.resolve(core.profileDir, hub.secretFile);
  let secret: string;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`config.json hub.secretFile ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { urls: hub.urls, workstation: hub.workstation, secret };
}
