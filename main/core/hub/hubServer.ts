import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { FeedRecord } from '../../../common/domain/feedRecord';
import type { Unit } from '../../../common/domain/entities';
import type { FeedStatus } from '../../../common/domain/feed';
import { VigieCore } from '../core';
import { progressFromFeed } from '../dispatch/unitFeedProgress';
import { HubPgStore, type LogEntry } from './pgStore';
import { authorise, HubGate, loadHubCredentials, type HubCredentials } from './credentials';
import { guardClientErrors, guardRequest, guardUpgrade, refuseUpgrade, requestUrl } from '../net/guard';
import { decide, recordVersions, type Versions } from './decide';
import { applyEntry, emptyEffects, SyncOpShape, type AnchorMessage, type FeedBody, type HubMessage, type OpBody, type Rejection, type SeatMessage, type SyncOp } from './replicate';
import { log } from '../log';

const logger = log('hub');

export interface HubOptions {
  pgUrl: string;
  host: string;
  port: number;
  /** config.json (the feeds the hub ingests) and the hub's working cache, rebuilt from PostgreSQL at each start. */
  stateDir: string;
  credentialsFile: string;
  demo?: boolean;
  demoIntervalMs?: number;
  /** Told when the hub cannot go on (PostgreSQL refused a write it had already applied): the process should exit. */
  onFatal?: (error: Error) => void;
  /** Told while this hub waits for the active one to die (standby). */
  onStandby?: () => void;
}

/** Past this many bytes waiting for a seat, it is fed from the store instead of live. */
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
const CATCH_UP_PAGE = 500;
/** How often the hub pings each seat (VIGIE_HUB_HEARTBEAT_MS; default 10 s); a seat that missed one ping is dropped at the next. */
const HEARTBEAT_MS = Number(process.env.VIGIE_HUB_HEARTBEAT_MS) || 10_000;

interface Seat {
  ws: WebSocket;
  workstation: string;
  /** The last seq sent to it. */
  lastSent: number;
  /** Sent each entry as it is committed; false while it is caught up from the store. */
  live: boolean;
  ready: boolean;
  /** A journal problem of this seat was already recorded on this connection. */
  anchorAlerted?: boolean;
}

/**
 * The hub: one core whose store is PostgreSQL. It ingests the feeds once, decides every
 * workstation's actions with the domain rules, commits each to PostgreSQL before acknowledging it,
 * and streams the ordered log to every seat. A slow seat is never buffered without end: past a
 * bound it is fed from the store, page by page, as it drains.
 */
export class Hub {
  private readonly seats = new Set<Seat>();
  private head = 0;
  private readonly versions: Versions = new Map();
  private queue: Promise<void> = Promise.resolve();
  private server!: http.Server;
  private wss!: WebSocketServer;
  core!: VigieCore;
  port = 0;
  private closing = false;
  private credentials!: { load: HubCredentials; mtimeMs: number };
  stats = { acceptedOps: 0, rejectedOps: 0, feedBatches: 0 };

  private constructor(
    readonly options: HubOptions,
    readonly pg: HubPgStore,
  ) {}

  static async start(options: HubOptions): Promise<Hub> {
    const credentials = loadHubCredentials(options.credentialsFile);
    const pg = await HubPgStore.open(options.pgUrl);
    const hub = new Hub(options, pg);
    try {
      await pg.becomeLeader(() => options.onStandby?.());
      await hub.rebuild();
      await hub.listen(credentials);
    } catch (error) {
      await hub.core?.close().catch(() => undefined);
      await pg.close();
      throw error;
    }
    hub.core.start();
    return hub;
  }

  get url(): string {
    return `ws://${this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host}:${this.port}/hub`;
  }

  /** The working cache is a projection of PostgreSQL's log: dropped and rebuilt from it at each start. */
  private async rebuild(): Promise<void> {
    fs.mkdirSync(this.options.stateDir, { recursive: true });
    for (const name of ['vigie.sqlite', 'vigie.sqlite-wal', 'vigie.sqlite-shm']) fs.rmSync(path.join(this.options.stateDir, name), { force: true });
    this.core = new VigieCore(this.options.stateDir, {
      profileDir: this.options.stateDir,
      demo: this.options.demo !== false,
      followUnitFeeds: false,
      onFeedBatch: (feed, parsed, receivedAt) => this.relayFeed(feed.id, feed.simulated, feed.minimise, parsed.records, receivedAt),
      ...(this.options.demoIntervalMs ? { demoIntervalMs: this.options.demoIntervalMs } : {}),
    });
    let after = 0;
    for (;;) {
      const page = await this.pg.read(after, 2000);
      for (const entry of page) {
        this.applyLocally(entry);
        after = entry.seq;
      }
      if (page.length < 2000) break;
    }
    this.head = after;
    // Units move their assignments forward from their own feed once, here, as actions of the feed.
    this.core.bus.subscribe((event, payload) => {
      if (event === 'units.changed') this.followUnits((payload as { units: Unit[] }).units);
      else if (event === 'feed.status') this.sendAll({ t: 'feeds', feeds: [(payload as { feed: FeedStatus }).feed] });
    });
  }

  private applyLocally(entry: LogEntry): void {
    try {
      if (entry.kind === 'feed') applyEntry(this.core.store, this.core.bus, { kind: 'feed', body: entry.body as FeedBody }, false);
      else {
        const body = entry.body as OpBody;
        applyEntry(this.core.store, this.core.bus, { kind: 'op', body }, false);
        recordVersions(body, this.versions);
      }
    } catch (error) {
      logger.error({ reason: (error as Error).message }, `entry ${entry.seq} could not be applied to the working cache`);
    }
  }

  /** The credentials file as it is now: `vigie hub add-user` takes effect without a restart. */
  private policy(): HubCredentials {
    try {
      const mtimeMs = fs.statSync(this.options.credentialsFile).mtimeMs;
      if (mtimeMs !== this.credentials.mtimeMs) this.credentials = { load: loadHubCredentials(this.options.credentialsFile), mtimeMs };
    } catch (error) {
      logger.error({ err: error }, `keeps the credentials it had: ${(error as Error).message}`);
    }
    return this.credentials.load;
  }

  private async listen(credentials: ReturnType<typeof loadHubCredentials>): Promise<void> {
    this.credentials = { load: credentials, mtimeMs: fs.statSync(this.options.credentialsFile).mtimeMs };
    const gate = new HubGate(() => this.policy());
    this.server = http.createServer(guardRequest('hub', (_req, res) => void res.writeHead(404, { 'content-type': 'text/plain' }).end('Vigie hub: workstations connect over WebSocket at /hub\n')));
    guardClientErrors('hub', this.server);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
    this.server.on(
      'upgrade',
      guardUpgrade('hub', async (req, socket, head) => {
        const url = requestUrl(req);
        const workstation = String(req.headers['x-vigie-workstation'] ?? '').slice(0, 64);
        const auth = String(req.headers.authorization ?? '');
        const secret = auth.startsWith('Bearer ') ? auth.slice(7) : '';
        const address = req.socket.remoteAddress ?? '?';
        const answer = url.pathname !== '/hub' ? ({ ok: false, status: 404, why: 'no such endpoint' } as const) : await gate.admit(address, workstation, secret);
        if (!answer.ok) {
          logger.error(`refused a connection from ${address} (workstation "${workstation || '(none)'}"): ${answer.why}`);
          refuseUpgrade(socket, answer.status, answer.why);
          return;
        }
        if (socket.destroyed) return;
        this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, workstation));
      }),
    );
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  private connected(ws: WebSocket, workstation: string): void {
    // One connection per workstation: a reconnecting seat replaces its stale one.
    for (const other of this.seats) if (other.workstation === workstation) other.ws.close(4000, 'replaced by a newer connection of this workstation');
    const seat: Seat = { ws, workstation, lastSent: 0, live: false, ready: false };
    this.seats.add(seat);
    // A ping every 10 s: a seat whose network died silently is dropped, and the seat notices too.
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    const gone = () => {
      clearInterval(heartbeat);
      this.seats.delete(seat);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data) => {
      let message: SeatMessage;
      try {
        message = JSON.parse(data.toString()) as SeatMessage;
      } catch {
        return;
      }
      if (message.t === 'hello' && !seat.ready) {
        seat.lastSent = Math.max(0, Math.floor(Number(message.cursor) || 0));
        seat.ready = true;
        void this.welcome(seat);
      } else if (message.t === 'anchor' && seat.ready) {
        void this.anchor(seat, message).catch((error: unknown) => logger.error({ reason: (error as Error).message }, `could not anchor the journal of ${workstation}`));
      } else if (message.t === 'op' && seat.ready) {
        // The workstation is the connection's, never the message's.
        const parsed = SyncOpShape.safeParse({ ...(message.op as object), workstation });
        if (!parsed.success || !parsed.data.uid.startsWith(`${workstation}:`)) {
          const uid = typeof (message.op as { uid?: unknown })?.uid === 'string' ? (message.op as { uid: string }).uid : '?';
          const why = parsed.success ? `its id must start with "${workstation}:"` : parsed.error.issues.map((i) => `${i.path.join('.') || 'op'}: ${i.message}`).join('; ');
          logger.error(`${workstation} sent an action the hub cannot read (${why})`);
          this.send(seat, { t: 'rejected', rejection: { uid, method: String((message.op as { method?: unknown })?.method ?? '?'), code: 'refused', message: `the hub cannot read this action: ${why}`, details: {}, state: emptyEffects() } });
          return;
        }
        this.enqueue(() => this.handleOp(seat, parsed.data as SyncOp));
      }
    });
  }

  /** Welcomes a seat with the head of its journal the hub last anchored, so it can prove that row unchanged. */
  private async welcome(seat: Seat): Promise<void> {
    const last = await this.pg.lastAnchor(seat.workstation).catch((error: unknown) => {
      logger.error({ reason: (error as Error).message }, `could not read the anchors of ${seat.workstation}`);
      return null;
    });
    this.send(seat, { t: 'welcome', hub: this.url, head: this.head, heartbeatMs: HEARTBEAT_MS, anchor: last ? { journal: last.journal, id: last.id } : null });
    this.send(seat, { t: 'feeds', feeds: this.core.scheduler.statuses() });
    void this.catchUp(seat);
  }

  /**
   * A seat's journal head. It must extend what the hub anchored last: same journal, a head at or
   * past the anchored row, and that row's hash unchanged. Otherwise the journal was cut, rewritten
   * or replaced by someone who could write the seat's profile: logged, kept in hub_anchor_alerts
   * (once per connection) and told to the seat; the hub's anchors are left as they were.
   */
  private async anchor(seat: Seat, m: AnchorMessage): Promise<void> {
    const valid = typeof m.journal === 'string' && /^[0-9a-f]{64}$/.test(m.journal) && Number.isSafeInteger(m.head?.id) && m.head.id >= 0 && typeof m.head.hash === 'string' && /^[0-9a-f]{64}$/.test(m.head.hash);
    if (!valid) return;
    const last = await this.pg.lastAnchor(seat.workstation);
    let problem: string | null = null;
    if (last) {
      const when = last.t.toISOString();
      if (m.head.id === 0) problem = `its audit journal was emptied: row ${last.id} was anchored at ${when}`;
      else if (m.journal !== last.journal) problem = `its audit journal was replaced: it no longer starts with the row anchored at ${when}`;
      else if (m.head.id < last.id) problem = `its audit journal ends at row ${m.head.id}, but row ${last.id} was anchored at ${when}: rows were cut off`;
      else if (m.at?.id !== last.id || m.at.hash !== last.hash) problem = `row ${last.id} of its audit journal no longer matches the hash anchored at ${when}: the journal was rewritten`;
    }
    if (problem) {
      logger.error(`workstation ${seat.workstation}: ${problem}`);
      if (!seat.anchorAlerted) await this.pg.anchorAlert(seat.workstation, problem);
      seat.anchorAlerted = true;
      this.send(seat, { t: 'anchor-refused', problem });
      return;
    }
    if (m.head.id === 0) return;
    if (!last || m.head.id > last.id) await this.pg.addAnchor(seat.workstation, m.journal, m.head.id, m.head.hash);
    this.send(seat, { t: 'anchored', journal: m.journal, id: m.head.id, hash: m.head.hash, at: Date.now() });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      logger.error({ err: error }, 'fatal');
      this.options.onFatal?.(error as Error);
    });
  }

  private async handleOp(seat: Seat, op: SyncOp): Promise<void> {
    if (await this.pg.hasOp(op.uid)) return; // sent again after a cut: it reaches the seat in the stream
    const earlier = (await this.pg.rejection(op.uid)) as Rejection | null;
    if (earlier) {
      this.send(seat, { t: 'rejected', rejection: earlier });
      return;
    }
    // The hub decides who acts, from its own policy: the seat's user and role are claims to check.
    const authority = authorise(this.policy(), seat.workstation, op.user, op.role);
    if (!authority.ok) {
      const rejected: Rejection = { uid: op.uid, method: op.method, code: 'refused', message: `the hub refused this action: ${authority.why}`, details: { seat: seat.workstation, claimedUser: op.user, claimedRole: op.role }, state: emptyEffects() };
      logger.error(`refused ${op.uid} (${op.method}) from workstation ${seat.workstation}: ${authority.why}`);
      try {
        this.core.store.audit.append({ t: Date.now(), user: op.user, role: op.role, kind: 'action', action: 'refused', target: op.method, reason: authority.why, origin: `hub:${seat.workstation}` });
      } catch (error) {
        logger.error({ reason: (error as Error).message }, 'could not journal a refusal');
      }
      // The durable record: hub_rejections in PostgreSQL, under the real seat.
      await this.pg.reject(op.uid, seat.workstation, 'refused', rejected);
      this.stats.rejectedOps++;
      this.send(seat, { t: 'rejected', rejection: rejected });
      return;
    }
    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(this.core, op, this.versions);
    } catch (error) {
      // A fault of this action (its transaction rolled back), not of the hub: refused, the hub goes on.
      logger.error({ err: error }, `${op.uid} (${op.method}) failed`);
      decision = { rejected: { uid: op.uid, method: op.method, code: 'refused', message: `the hub could not apply it: ${(error as Error).message}`, details: {}, state: emptyEffects() } };
    }
    if ('rejected' in decision) {
      await this.pg.reject(op.uid, op.workstation, decision.rejected.code, decision.rejected);
      this.stats.rejectedOps++;
      this.send(seat, { t: 'rejected', rejection: decision.rejected });
      return;
    }
    // Applied to the working cache already: if PostgreSQL refuses it now, the cache is wrong and
    // the hub stops (onFatal), to start again from PostgreSQL.
    const seq = await this.pg.append('op', op.uid, op.workstation, decision.accepted);
    recordVersions(decision.accepted, this.versions);
    this.stats.acceptedOps++;
    this.broadcast({ t: 'entry', seq, kind: 'op', body: decision.accepted });
  }

  private relayFeed(feedId: string, simulated: boolean, minimise: ((r: FeedRecord) => FeedRecord) | undefined, records: FeedRecord[], receivedAt: number): void {
    // Only what the hub stored, as it stored it (after the feed's privacy policy): personal fields never travel.
    const kept: FeedRecord[] = [];
    for (const record of records) {
      const checked = FeedRecord.safeParse(record);
      if (checked.success) kept.push(minimise ? minimise(checked.data) : checked.data);
    }
    if (kept.length === 0) return;
    const body: FeedBody = { feedId, simulated, receivedAt, records: kept };
    this.enqueue(async () => {
      const seq = await this.pg.append('feed', null, feedId, body);
      this.stats.feedBatches++;
      this.broadcast({ t: 'entry', seq, kind: 'feed', body });
    });
  }

  private followUnits(units: Unit[]): void {
    for (const unit of units) {
      const assignment = this.core.store.assignments.activeForUnit(unit.id);
      const next = assignment ? progressFromFeed(unit.status, assignment.status) : null;
      if (!assignment || !next) continue;
      const op: SyncOp = { uid: `hub:${assignment.id}:${next}`, workstation: 'hub', user: `feed:${unit.feedId}`, role: 'operator', t: Date.now(), method: 'dispatch.setStatus', params: { assignmentId: assignment.id, status: next } };
      this.enqueue(async () => {
        if (await this.pg.hasOp(op.uid)) return;
        const decision = decide(this.core, op, this.versions);
        if (!('accepted' in decision)) return;
        const seq = await this.pg.append('op', op.uid, 'hub', decision.accepted);
        this.broadcast({ t: 'entry', seq, kind: 'op', body: decision.accepted });
      });
    }
  }

  private broadcast(entry: Extract<HubMessage, { t: 'entry' }>): void {
    this.head = Math.max(this.head, entry.seq);
    const text = JSON.stringify(entry);
    for (const seat of this.seats) {
      if (!seat.ready || !seat.live || entry.seq <= seat.lastSent) continue;
      if (seat.ws.bufferedAmount > HIGH_WATER_BYTES) {
        // Too far behind to keep in memory: from now on it reads from PostgreSQL as it drains.
        logger.warn(`${seat.workstation} is behind (${seat.ws.bufferedAmount} bytes waiting): fed from PostgreSQL until it catches up`);
        seat.live = false;
        void this.catchUp(seat);
        continue;
      }
      seat.ws.send(text);
      seat.lastSent = entry.seq;
    }
  }

  /** Feeds a seat from the store until it reaches the head, then puts it back live. */
  private async catchUp(seat: Seat): Promise<void> {
    try {
      while (seat.ws.readyState === seat.ws.OPEN) {
        if (seat.lastSent >= this.head) {
          if (!seat.live && seat.lastSent > 0) logger.warn(`${seat.workstation} caught up at ${seat.lastSent}: live again`);
          seat.live = true;
          return;
        }
        const page = await this.pg.read(seat.lastSent, CATCH_UP_PAGE);
        for (const entry of page) {
          if (entry.seq <= seat.lastSent) continue;
          seat.ws.send(JSON.stringify({ t: 'entry', seq: entry.seq, kind: entry.kind, body: entry.body }));
          seat.lastSent = entry.seq;
        }
        if (page.length === 0) {
          // The head moved past entries not committed yet: look again shortly.
          await sleep(20);
        }
        while (seat.ws.readyState === seat.ws.OPEN && seat.ws.bufferedAmount > LOW_WATER_BYTES) await sleep(10);
      }
    } catch (error) {
      logger.error({ reason: (error as Error).message }, `catching up ${seat.workstation} failed`);
      seat.ws.close(1011, 'catch-up failed; reconnect');
    }
  }

  private sendAll(message: HubMessage): void {
    const text = JSON.stringify(message);
    for (const seat of this.seats) if (seat.ready && seat.ws.readyState === seat.ws.OPEN && seat.ws.bufferedAmount < HIGH_WATER_BYTES) seat.ws.send(text);
  }

  private send(seat: Seat, message: HubMessage): void {
    if (seat.ws.readyState === seat.ws.OPEN) seat.ws.send(JSON.stringify(message));
  }

  /** Connected workstations, for the CLI and the bench. */
  get connectedWorkstations(): string[] {
    return [...this.seats].map((s) => s.workstation);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const seat of this.seats) seat.ws.close(1001, 'the hub is stopping');
    this.wss?.close();
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
    await closed;
    await this.queue;
    await this.core.close();
    await this.pg.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
