import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { Assignment } from '../../../common/domain/dispatch';
import type { FeedStatus } from '../../../common/domain/feed';
import type { PendingAction, SyncConflict, SyncStatus } from '../../../common/domain/sync';
import type { Services, SyncLink } from '../compose';
import type { ProfileConfig } from '../config';
import type { CallContext, Handlers } from '../rpc';
import { journalHead } from '../audit/anchor';
import { applyEntry, emitEffects, REPLICATED_METHODS, writeEffects, type AnchorMessage, type HubMessage, type Rejection, type ReplicatedMethod, type SyncOp } from './replicate';
import { log } from '../log';
import { addToOutbox, dismissOutboxEntry, hasOutboxEntry, markOutboxAcked, markOutboxRejected, outboxEntry, pendingOutbox, readSyncState, rejectedOutbox, setSyncVersion, syncVersion, writeSyncState } from '../db/syncState';

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

  /** `core`: the seat's cache, bus and simulated feeds; its API is wrapped where it is composed (withHubReplication). */
  constructor(
    private readonly core: Pick<Services, 'store' | 'bus' | 'simulatedFeeds'>,
    private readonly options: WorkstationOptions,
  ) {
    if (options.urls.length === 0) throw new Error('a workstation needs at least one hub URL');
    this.db = core.store.db;
  }

  get workstation(): string {
    return this.options.workstation;
  }

  get cursor(): number {
    const value = readSyncState(this.db, 'cursor');
    return value !== undefined ? Number(value) : 0;
  }

  private setCursor(seq: number): void {
    writeSyncState(this.db, 'cursor', String(seq));
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
    const pending = pendingOutbox<SyncOp>(this.db);
    const rejected = rejectedOutbox<SyncOp>(this.db, 50);
    return {
      mode: this.online ? 'online' : 'offline',
      workstation: this.options.workstation,
      hub: this.options.urls[this.urlIndex] ?? null,
      cursor: this.cursor,
      pending: pending.map((r): PendingAction => ({ uid: r.uid, t: r.t, method: r.method, target: targetOf(r.op) })),
      conflicts: rejected.map((r): SyncConflict => ({
        uid: r.uid,
        t: r.t,
        method: r.method,
        target: targetOf(r.op),
        code: r.code as SyncConflict['code'],
        message: r.message ?? '',
        details: r.details,
        decidedAt: r.decidedAt ?? r.t,
      })),
      lastError: this.online ? null : this.lastError,
    };
  }

  /** What the hub last said of this seat's audit journal. */
  anchorStatus(): HubAnchorStatus {
    const value = readSyncState(this.db, 'anchor');
    const saved = value !== undefined ? (JSON.parse(value) as Omit<HubAnchorStatus, 'hub'>) : { newest: null, problem: null };
    return { hub: this.options.urls[this.urlIndex] ?? '', ...saved };
  }

  private saveAnchorStatus(status: Omit<HubAnchorStatus, 'hub'>): void {
    writeSyncState(this.db, 'anchor', JSON.stringify(status));
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
    dismissOutboxEntry(this.db, uid);
    this.changed();
  }

  /** The hub's feeds and their health, as the hub last told (shown next to the seat's own). */
  feedsFromHub(): FeedStatus[] {
    return [...this.hubFeeds.values()];
  }

  /**
   * Queues an action already applied here for the hub. `base`: the version of the annotation it
   * edits, read before it applied (versionOf).
   */
  queue(method: ReplicatedMethod, params: Record<string, unknown>, ctx: CallContext, ids: SyncOp['ids'], base: string | null | undefined): void {
    const op: SyncOp = { uid: `${this.options.workstation}:${crypto.randomUUID()}`, workstation: this.options.workstation, user: ctx.user, role: ctx.role, t: Date.now(), method, params, ...(ids ? { ids } : {}), ...(method.startsWith('annotations.') ? { base: base ?? null } : {}) };
    this.enqueue(op);
  }

  versionOf(annotationId: string): string | null {
    return syncVersion(this.db, `annotation:${annotationId}`);
  }

  private setVersion(annotationId: string, uid: string): void {
    setSyncVersion(this.db, `annotation:${annotationId}`, uid);
  }

  private enqueue(op: SyncOp): void {
    this.db.transaction(() => {
      addToOutbox(this.db, { uid: op.uid, t: op.t, method: op.method, op });
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
      // A stopped link's cache may be closed already: what the hub still sends is taken at the next start.
      if (this.stopped) return;
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
      for (const row of pendingOutbox<SyncOp>(this.db)) this.send({ t: 'op', op: row.op });
      this.changed();
    } else if (message.t === 'entry') {
      if (message.seq <= this.cursor) return;
      const ownUid = message.kind === 'op' && message.body.op.workstation === this.options.workstation ? message.body.op.uid : null;
      const own = ownUid !== null && hasOutboxEntry(this.db, ownUid);
      applyEntry(this.core.store, this.core.bus, message.kind === 'feed' ? { kind: 'feed', body: message.body } : { kind: 'op', body: message.body }, own, () => {
        this.setCursor(message.seq);
        if (message.kind === 'op') {
          if (own) markOutboxAcked(this.db, ownUid, Date.now());
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
    const row = outboxEntry<SyncOp>(this.db, r.uid);
    if (!row || row.status === 'rejected') return;
    const now = Date.now();
    let dropped: Assignment[] = [];
    this.core.store.transaction(() => {
      markOutboxRejected(this.db, r.uid, { code: r.code, message: r.message, details: r.details, at: now });
      // What this seat created for the refused action goes first: the hub's state takes its place.
      const id = r.drop?.assignmentId;
      const mine = id && !r.state.assignments.some((a) => a.id === id) ? this.core.store.assignments.get(id) : null;
      if (mine && mine.status !== 'cleared') dropped.push(this.core.store.assignments.save({ ...mine, status: 'cleared', clearedAt: now }));
      dropped = [...dropped, ...writeEffects(this.core.store, r.state, now)];
      this.core.store.log.append({ t: now, source: 'hub', kind: 'sync.rejected', entity: entityOf(row.op), payload: { uid: r.uid, method: r.method, code: r.code, message: r.message, by: 'hub', loser: row.op.user, winner: r.details.by ?? null } });
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

/**
 * The composed API of a workstation of a hub: each method the contract declares `replicates: 'hub'`
 * is applied here first (the operator sees it at once, with or without the hub; a local refusal
 * throws before anything is queued), then queued for the hub. The feeds list adds the hub's feeds,
 * which bring this seat its data. Every other method is untouched: it stays on this seat.
 */
export function withHubReplication(handlers: Handlers, link: HubSync): Handlers {
  const wrapped = { ...handlers } as Record<string, (params: unknown, ctx: CallContext) => unknown>;
  const ownFeeds = handlers['feeds.list'] as (params: unknown, ctx: CallContext) => FeedStatus[];
  wrapped['feeds.list'] = (params, ctx) => {
    const own = ownFeeds(params, ctx);
    return [...own, ...link.feedsFromHub().filter((f) => !own.some((o) => o.id === f.id))];
  };
  for (const method of REPLICATED_METHODS) {
    const original = handlers[method] as (params: unknown, ctx: CallContext) => unknown;
    wrapped[method] = (params: unknown, ctx: CallContext) => {
      const p = params as Record<string, unknown>;
      const annotationId = method.startsWith('annotations.') && typeof p.id === 'string' ? p.id : undefined;
      const base = annotationId ? link.versionOf(annotationId) : undefined;
      const result = original(params, ctx) as { id?: string };
      const ids = method === 'dispatch.assign' ? { assignmentId: result.id! } : method === 'annotations.save' && !annotationId ? { annotationId: result.id! } : method === 'incidents.create' ? { incidentId: result.id! } : undefined;
      link.queue(method, p, ctx, ids, base);
      return result;
    };
  }
  return wrapped as unknown as Handlers;
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
export function hubLinkFromConfig(profile: { config: ProfileConfig; profileDir: string }): WorkstationOptions | null {
  const hub = profile.config.hub;
  if (!hub) return null;
  const file = path.resolve(profile.profileDir, hub.secretFile);
  let secret: string;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`config.json hub.secretFile ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { urls: hub.urls, workstation: hub.workstation, secret };
}
