import type { FeedStatus } from '../../../common/domain/feed';
import type { EventBus } from '../bus';
import type { FeedConfig } from '../config';
import type { Store } from '../store';
import { ingestBatch, type IngestOutcome } from '../sync/ingest';
import type { ParseResult } from './adapter';
import { adapterFor } from './registry';

/** Backoff after failures: doubling from the poll interval, capped, with jitter so feeds do not retry in step. */
export function backoffDelayMs(intervalMs: number, consecutiveErrors: number, random: () => number = Math.random): number {
  const capped = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(consecutiveErrors, 16));
  return Math.round(capped * (0.5 + 0.5 * random()));
}
export const MAX_BACKOFF_MS = 5 * 60_000;

/** A source of records with its own timing: an HTTP poller, the demo simulator, later streams. */
export interface FeedRunner {
  readonly id: string;
  start(): void;
  stop(): Promise<void>;
  status(): FeedStatus;
}

export interface FeedContext {
  store: Store;
  bus: EventBus;
}

/** Stores a parsed batch and tells every window what changed. Shared by all runners and the CLI. */
export function storeAndPublish(ctx: FeedContext, feed: { id: string; simulated: boolean }, parsed: ParseResult, receivedAt: number): IngestOutcome {
  const outcome = ingestBatch(ctx.store, feed, parsed, receivedAt);
  for (const incident of outcome.changedIncidents) ctx.bus.emit('incident.changed', { incident });
  if (outcome.changedUnits.length > 0) ctx.bus.emit('units.changed', { units: outcome.changedUnits });
  for (const camera of outcome.changedCameras) ctx.bus.emit('camera.changed', { camera });
  for (const alert of outcome.changedAlerts) ctx.bus.emit('alert.changed', { alert });
  return outcome;
}

/** Polls an HTTP URL, sending ETag / Last-Modified / cursor so unchanged feeds cost a 304. */
export class HttpPollFeed implements FeedRunner {
  readonly id: string;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private nextAttemptAt: number | null = null;
  private stopped = true;
  private readonly adapter;
  private readonly options: unknown;

  constructor(
    private readonly ctx: FeedContext,
    private readonly config: FeedConfig,
  ) {
    this.id = config.id;
    this.adapter = adapterFor(config.type);
    const parsed = this.adapter.configSchema.safeParse(config.options ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `options.${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Feed "${config.id}" (${config.type}) has invalid options: ${issues}`);
    }
    this.options = parsed.data;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    await this.inFlight;
  }

  /** One poll, now. Resolves when the batch is stored or the failure recorded. */
  async pollOnce(): Promise<void> {
    await this.pollShared();
    this.publishStatus();
  }

  private pollShared(): Promise<void> {
    if (!this.inFlight) this.inFlight = this.poll().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private publishStatus(): void {
    this.ctx.bus.emit('feed.status', { feed: this.status() });
  }

  status(): FeedStatus {
    const s = this.ctx.store.feedState.get(this.id);
    const intervalMs = this.config.intervalSeconds * 1000;
    const late = s.lastSuccessAt !== null && Date.now() - s.lastSuccessAt > 3 * intervalMs + this.config.timeoutSeconds * 1000;
    return {
      id: this.id,
      type: this.config.type,
      label: this.config.label ?? this.id,
      simulated: false,
      state: s.consecutiveErrors > 0 ? 'failing' : s.lastSuccessAt === null ? 'idle' : late ? 'stale' : 'ok',
      lastSuccessAt: s.lastSuccessAt,
      lastErrorAt: s.lastErrorAt,
      lastError: s.lastError,
      consecutiveErrors: s.consecutiveErrors,
      nextAttemptAt: this.nextAttemptAt,
      stored: s.stored,
      quarantined: s.quarantined,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextAttemptAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollShared().then(() => {
        if (this.stopped) return;
        const s = this.ctx.store.feedState.get(this.id);
        const interval = this.config.intervalSeconds * 1000;
        this.schedule(s.consecutiveErrors > 0 ? backoffDelayMs(interval, s.consecutiveErrors - 1) : interval);
        this.publishStatus();
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const store = this.ctx.store;
    const state = store.feedState.get(this.id);
    const headers: Record<string, string> = { accept: 'application/geo+json, application/json, */*' };
    if (state.etag) headers['if-none-match'] = state.etag;
    if (state.lastModified) headers['if-modified-since'] = state.lastModified;
    const url = new URL(this.config.url);
    if (state.cursor && !url.searchParams.has('since')) url.searchParams.set('since', state.cursor);
    this.abort = new AbortController();
    const timeout = setTimeout(() => this.abort?.abort(new Error(`no answer within ${this.config.timeoutSeconds} s`)), this.config.timeoutSeconds * 1000);
    try {
      const response = await fetch(url, { headers, signal: this.abort.signal });
      if (response.status === 304) {
        store.feedState.update(this.id, { lastSuccessAt: Date.now(), consecutiveErrors: 0, lastError: null });
      } else if (!response.ok) {
        throw new Error(`HTTP ${response.status} ${response.statusText} from ${this.config.url}`);
      } else {
        const body = new Uint8Array(await response.arrayBuffer());
        const receivedAt = Date.now();
        const parsed = this.adapter.parse(body, { feedId: this.id, config: this.options, receivedAt });
        storeAndPublish(this.ctx, { id: this.id, simulated: false }, parsed, receivedAt);
        store.feedState.update(this.id, {
          lastSuccessAt: receivedAt,
          consecutiveErrors: 0,
          lastError: null,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
        });
      }
    } catch (error) {
      // Aborted by stop(): not the feed's fault, nothing to record.
      if (this.abort?.signal.aborted && this.stopped) return;
      const cause = (error as Error).cause as Error | undefined;
      const message = `${(error as Error).message}${cause?.message ? ` (${cause.message})` : ''}`;
      store.feedState.update(this.id, {
        lastErrorAt: Date.now(),
        lastError: message,
        consecutiveErrors: state.consecutiveErrors + 1,
      });
    } finally {
      clearTimeout(timeout);
      this.abort = null;
    }
  }
}
