import type { FeedStatus } from '../../../common/domain/feed';
import type { EventBus } from '../bus';
import type { FeedConfig } from '../config';
import type { Minimiser } from '../privacy/minimise';
import { authHeader, redactUrl, type FeedCredential } from './credentials';
import type { Store } from '../store';
import { ingestBatch, type IngestFeed, type IngestOutcome } from '../ingest/ingest';
import { clipRaw, parsePayload, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import { rawText } from './protobuf';
import { adapterFor } from './registry';
import { withoutStream } from '../db/cameras';
import { diskFullReason, isDiskFull } from './diskFull';
import { log } from '../log';
import { systemClock, type Clock, type Timer } from '../clock';

const logger = log('feeds');

/** Backoff after failures: doubling from the poll interval, capped, with jitter so feeds do not retry in step. */
export function backoffDelayMs(intervalMs: number, consecutiveErrors: number, random: () => number = Math.random): number {
  const capped = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(consecutiveErrors, 16));
  return Math.round(capped * (0.5 + 0.5 * random()));
}
export const MAX_BACKOFF_MS = 5 * 60_000;

/** A source of records with its own timing: an HTTP poller, a stream, a listener, the demo simulator. */
export interface FeedRunner {
  readonly id: string;
  start(): void;
  stop(): Promise<void>;
  status(): FeedStatus;
}

export interface FeedContext {
  store: Store;
  bus: EventBus;
  /** The privacy policy of a feed as a function; absent in tests that store records as they come. */
  minimiserFor?: (feed: FeedConfig) => Minimiser;
  /** A feed's credential (from `<profile>/secrets/credentials.json`), if it has one. */
  credentialFor?: (feedId: string) => FeedCredential | undefined;
  /** Transit stops the city pack places (GTFS stop_id → [lon, lat]), for adapters that name stops. */
  stops?: ReadonlyMap<string, readonly [number, number]>;
  /** Told of every stored batch that changed something (the hub relays them to its workstations). */
  onBatch?: (feed: IngestFeed, parsed: ParseResult, receivedAt: number) => void;
  /** Time for receipt stamps, health and timers; systemClock when absent (tests pass a TestClock). */
  clock?: Clock;
}

/** Stores a parsed batch and tells every window what changed. Shared by all runners and the CLI. */
export function storeAndPublish(ctx: FeedContext, feed: IngestFeed, parsed: ParseResult, receivedAt: number): IngestOutcome {
  const outcome = ingestBatch(ctx.store, feed, parsed, receivedAt);
  publishOutcome(ctx.bus, outcome);
  if (ctx.onBatch && outcome.stored > outcome.unchanged) ctx.onBatch(feed, parsed, receivedAt);
  return outcome;
}

/** Tells every window what a stored batch changed. */
export function publishOutcome(bus: EventBus, outcome: IngestOutcome): void {
  const ctx = { bus };
  if (outcome.changedIncidents.length === 1) ctx.bus.emit('incident.changed', { incident: outcome.changedIncidents[0]! });
  else if (outcome.changedIncidents.length > 1) ctx.bus.emit('incidents.changed', { incidents: outcome.changedIncidents });
  if (outcome.changedUnits.length > 0) ctx.bus.emit('units.changed', { units: outcome.changedUnits });
  for (const camera of outcome.changedCameras) ctx.bus.emit('camera.changed', { camera: withoutStream(camera) });
  for (const alert of outcome.changedAlerts) ctx.bus.emit('alert.changed', { alert });
}

export function byteLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
}

/** The message of an error and of its cause (fetch hides ECONNREFUSED in the cause). */
export function describeError(error: unknown): string {
  const e = error as Error;
  const cause = e?.cause as Error | undefined;
  return `${e?.message ?? String(error)}${cause?.message ? ` (${cause.message})` : ''}`;
}

const RATE_WINDOW_MS = 60_000;
const STATUS_PUSH_MS = 250;

/**
 * What every transport shares: the adapter and its options, the privacy policy, the oversize
 * check, health bookkeeping (persisted in feed_state, so a restart shows the truth) and throttled
 * status pushes (a feed bringing 5,000 records/s must not push 5,000 statuses/s).
 */
export abstract class BaseFeed implements FeedRunner {
  readonly id: string;
  abstract readonly transport: string;
  protected readonly adapter: FeedAdapter<unknown>;
  protected readonly options: unknown;
  protected readonly minimise: Minimiser | undefined;
  protected stopped = true;
  protected nextAttemptAt: number | null = null;
  private readonly rate: { t: number; n: number }[] = [];
  /** Items of the latest payload that had any read but not stored, by kind (the Feeds panel says them). */
  private ignored: Record<string, number> = {};
  private statusTimer: Timer | null = null;
  protected readonly clock: Clock;

  constructor(
    protected readonly ctx: FeedContext,
    readonly config: FeedConfig,
  ) {
    this.id = config.id;
    this.clock = ctx.clock ?? systemClock;
    this.adapter = adapterFor(config.type);
    const parsed = this.adapter.configSchema.safeParse(config.options ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `options.${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Feed "${config.id}" (${config.type}) has invalid options: ${issues}`);
    }
    this.options = parsed.data;
    this.minimise = ctx.minimiserFor?.(config);
  }

  abstract start(): void;
  abstract stop(): Promise<void>;

  /** The feed's URL as it is requested: a user and password written into it travel as a header instead. */
  protected get requestUrl(): string {
    const u = new URL(this.config.url!);
    u.username = '';
    u.password = '';
    return u.href;
  }

  /** The feed's URL for messages, without any credential. */
  protected get where(): string {
    return redactUrl(this.config.url ?? this.config.path ?? '');
  }

  /** Headers that prove who we are to the feed's own host (never sent to another host). */
  protected authHeaders(): Record<string, string> {
    const stored = this.ctx.credentialFor?.(this.id);
    if (stored) return authHeader(stored);
    const u = this.config.url ? new URL(this.config.url) : null;
    return u?.username ? authHeader({ basic: { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } }) : {};
  }

  /** Paused in config.json (by IT) or from the Feeds panel (by an operator). */
  isPaused(): boolean {
    return this.config.paused || this.ctx.store.feedState.get(this.id).paused === 1;
  }

  /** How long without news before the feed is late. */
  protected abstract expectedWindowMs(): number;

  /** Parses and stores one payload; an oversize one is quarantined clipped, and refused. */
  protected ingest(raw: string | Uint8Array, receivedAt = this.clock.now(), charset?: string): IngestOutcome {
    return this.storeParsed(this.parse(raw, receivedAt, charset), receivedAt);
  }

  /** `charset`: what the transport declared (HTTP Content-Type), which outranks the feed's `encoding`. */
  protected parse(raw: string | Uint8Array, receivedAt: number, charset?: string): ParseResult {
    const size = byteLength(raw);
    if (size > this.config.maxPayloadBytes) return { records: [], errors: [oversize(raw, size, this.config.maxPayloadBytes)] };
    return parsePayload(this.adapter, raw, { feedId: this.id, config: this.options, receivedAt, charset, encoding: this.config.encoding, ...(this.ctx.stops ? { stops: this.ctx.stops } : {}) });
  }

  protected storeParsed(parsed: ParseResult, receivedAt: number): IngestOutcome {
    const outcome = storeAndPublish(this.ctx, { id: this.id, simulated: false, minimise: this.minimise }, parsed, receivedAt);
    // The latest payload's counts, not a running total: an index polled every minute would
    // otherwise read "9,780 index entries: links only" after an hour.
    if (parsed.ignored && Object.keys(parsed.ignored).length > 0) this.ignored = { ...parsed.ignored };
    if (outcome.stored > 0) this.rate.push({ t: receivedAt, n: outcome.stored });
    this.statusChanged();
    return outcome;
  }

  protected succeeded(patch: Partial<Parameters<Store['feedState']['update']>[1]> = {}, at = this.clock.now()): void {
    this.ctx.store.feedState.update(this.id, { lastSuccessAt: at, consecutiveErrors: 0, lastError: null, ...patch });
    this.unrecorded = null;
    this.statusChanged();
  }

  /**
   * A failure the cache could not record because its disk is full: kept in memory and shown as
   * the feed's state until a success, so a full disk marks the feed failing instead of throwing
   * out of a timer and taking `vigie serve` down.
   */
  private unrecorded: { at: number; message: string; diskFull: boolean } | null = null;

  protected failed(error: unknown): void {
    const message = isDiskFull(error) ? diskFullReason(error) : typeof error === 'string' ? error : describeError(error);
    try {
      this.ctx.store.feedState.recordError(this.id, message);
      this.unrecorded = isDiskFull(error) ? { at: this.clock.now(), message, diskFull: true } : null;
    } catch (recordError) {
      if (!isDiskFull(recordError)) throw recordError;
      this.unrecorded = { at: this.clock.now(), message: isDiskFull(error) ? message : `${diskFullReason(recordError)} (and: ${message})`, diskFull: true };
      logger.error({ feed: this.id, err: this.unrecorded }, this.unrecorded.message);
    }
    this.statusChanged();
  }

  /** Pushes the status soon, at most once per STATUS_PUSH_MS. */
  protected statusChanged(): void {
    if (this.statusTimer) return;
    this.statusTimer = this.clock.setTimeout(() => {
      this.statusTimer = null;
      this.publishStatus();
    }, STATUS_PUSH_MS).unref();
  }

  publishStatus(): void {
    // A push due after the cache was closed (shutdown, a one-off poll in a test) has no one to tell.
    if (!this.ctx.store.db.open) return;
    this.ctx.bus.emit('feed.status', { feed: this.status() });
  }

  protected clearStatusTimer(): void {
    this.statusTimer?.cancel();
    this.statusTimer = null;
  }

  recordsPerMinute(now = this.clock.now()): number {
    while (this.rate.length > 0 && this.rate[0]!.t < now - RATE_WINDOW_MS) this.rate.shift();
    return this.rate.reduce((sum, r) => sum + r.n, 0);
  }

  status(now = this.clock.now()): FeedStatus {
    const stored = this.ctx.store.feedState.get(this.id);
    const u = this.unrecorded;
    const s = u ? { ...stored, lastErrorAt: u.at, lastError: u.message, consecutiveErrors: Math.max(1, stored.consecutiveErrors) } : stored;
    const last = Math.max(s.lastSuccessAt ?? -1, s.lastDataAt ?? -1);
    const late = last >= 0 && now - last > this.expectedWindowMs();
    const paused = this.config.paused || s.paused === 1;
    const failing = s.consecutiveErrors > 0;
    const state = paused ? 'paused' : failing ? 'failing' : last < 0 ? 'idle' : late ? 'stale' : 'ok';
    return {
      id: this.id,
      type: this.config.type,
      label: this.config.label ?? this.id,
      simulated: false,
      state,
      lastSuccessAt: s.lastSuccessAt,
      lastErrorAt: s.lastErrorAt,
      lastError: s.lastError,
      consecutiveErrors: s.consecutiveErrors,
      nextAttemptAt: paused || this.stopped ? null : this.nextAttemptAt,
      stored: s.stored,
      quarantined: s.quarantined,
      transport: this.transport,
      paused,
      // Idle (never heard from) counts as late once the first window has passed since start.
      stale: !paused && (failing || late || (last < 0 && this.startedAt !== null && now - this.startedAt > this.expectedWindowMs())),
      kinds: s.kinds ? s.kinds.split(',') : [],
      lastDataAt: s.lastDataAt,
      lagMs: s.lastDataAt !== null && s.lastSourceTime !== null ? Math.max(0, s.lastDataAt - s.lastSourceTime) : null,
      errorCount: s.errorCount,
      recordsPerMinute: this.recordsPerMinute(now),
      purpose: this.config.privacy.purpose ?? null,
      retentionDays: this.config.privacy.retentionDays,
      ...(Object.keys(this.ignored).length > 0 ? { ignored: { ...this.ignored } } : {}),
      ...(u?.diskFull ? { diskFull: true } : {}),
    };
  }

  protected startedAt: number | null = null;
}

function oversize(raw: string | Uint8Array, size: number, limit: number): ParseError {
  const head = typeof raw === 'string' ? raw.slice(0, 4096) : rawText(raw.subarray(0, 4096));
  return {
    raw: clipRaw(`${head}… [${size - 4096} more bytes not kept]`),
    reason: `payload of ${size} bytes is over this feed's limit of ${limit} bytes (maxPayloadBytes); refused. Raise the limit in the feed config if the source is trusted.`,
  };
}
