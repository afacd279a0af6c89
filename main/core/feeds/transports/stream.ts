import { addIgnored, clipRaw, type ParseResult } from '../adapter';
import { rawText } from '../protobuf';
import { BaseFeed, backoffDelayMs } from '../runner';
import type { Timer } from '../../clock';

/** Messages are stored together, at most this long after they arrive… */
const FLUSH_MS = 100;
/** …or as soon as this many have arrived: one transaction and one push per batch, not per message. */
const FLUSH_COUNT = 2_000;

export function overLimit(limit: number): string {
  return `message over this feed's limit of ${limit} bytes (maxPayloadBytes); refused, only its start is kept. Raise the limit in the feed config if the source is trusted.`;
}

/**
 * What pushes to us (WebSocket, SSE, TCP, UDP): messages are queued and stored in batches, so a
 * 5,000 records/s stream costs tens of transactions and pushes per second, not thousands.
 * Client transports reconnect with backoff; a connection silent for twice the expected window is
 * taken for hung, dropped and reopened.
 */
export abstract class StreamFeed extends BaseFeed {
  private queue: { raw: string | Uint8Array; at: number; cursor?: string | undefined; refused?: string }[] = [];
  private flushTimer: Timer | null = null;
  private reconnectTimer: Timer | null = null;
  private watchdog: Timer | null = null;
  protected lastHeardAt = 0;
  private lastAliveWrite = 0;

  protected expectedWindowMs(): number {
    return (this.config.staleAfterSeconds ?? Math.max(60, 3 * this.config.intervalSeconds)) * 1000;
  }

  start(): void {
    if (this.isPaused()) return;
    this.stopped = false;
    this.startedAt = this.clock.now();
    this.nextAttemptAt = this.clock.now();
    this.open();
    if (this.reconnects) {
      this.watchdog = this.clock.setInterval(() => this.checkHung(), Math.min(this.expectedWindowMs(), 30_000)).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnectTimer?.cancel();
    this.watchdog?.cancel();
    this.reconnectTimer = this.watchdog = null;
    await this.close();
    this.flush();
    this.clearStatusTimer();
  }

  /** Client transports reconnect and are watched for hangs; listeners are not. */
  protected abstract readonly reconnects: boolean;
  protected abstract open(): void;
  protected abstract close(): Promise<void>;

  /**
   * One message (a WebSocket frame, an SSE event's data, a CoT event, a datagram). `cursor` (an SSE
   * event id) is committed in the same transaction as the message's records.
   */
  protected accept(raw: string | Uint8Array, cursor?: string): void {
    this.enqueue({ raw, at: this.clock.now(), cursor });
  }

  /** A message the transport could not take whole (over the size limit): quarantined with `reason`. */
  protected refuse(head: string | Uint8Array, reason: string): void {
    this.enqueue({ raw: head, at: this.clock.now(), refused: reason });
  }

  private enqueue(item: StreamFeed['queue'][number]): void {
    this.lastHeardAt = item.at;
    this.queue.push(item);
    if (this.queue.length >= FLUSH_COUNT) this.flush();
    else if (!this.flushTimer) this.flushTimer = this.clock.setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** The connection is alive (opened, heartbeat): a quiet stream is not a late one. */
  protected alive(): void {
    const now = this.clock.now();
    this.lastHeardAt = now;
    const s = this.ctx.store.feedState.get(this.id);
    // Written at most every 5 s: heartbeats can be frequent.
    if (s.consecutiveErrors > 0 || now - this.lastAliveWrite > 5_000) {
      this.lastAliveWrite = now;
      this.succeeded({}, now);
    }
  }

  /** The connection is gone or never opened: count it, and try again after a backoff. */
  protected lost(error: unknown): void {
    this.flush();
    if (this.stopped) return;
    this.failed(error);
    if (!this.reconnects || this.reconnectTimer) return;
    const s = this.ctx.store.feedState.get(this.id);
    const delay = this.retryMs ?? backoffDelayMs(this.config.intervalSeconds * 1000, Math.max(0, s.consecutiveErrors - 1));
    this.nextAttemptAt = this.clock.now() + delay;
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delay);
    this.statusChanged();
  }

  /** SSE's `retry:` field: the server says how long to wait. */
  protected retryMs: number | undefined;

  private checkHung(): void {
    if (this.stopped || this.reconnectTimer) return;
    if (this.lastHeardAt > 0 && this.clock.now() - this.lastHeardAt > 2 * this.expectedWindowMs()) {
      this.lastHeardAt = this.clock.now();
      void this.close().then(() => this.lost(`no message for ${Math.round((2 * this.expectedWindowMs()) / 1000)} s; reconnecting`));
    }
  }

  protected flush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const merged: ParseResult = { records: [], errors: [] };
    for (const { raw, at, cursor, refused } of batch) {
      if (refused !== undefined) {
        merged.errors.push({ raw: clipRaw(typeof raw === 'string' ? raw : rawText(raw)), reason: refused });
      } else {
        const parsed = this.parse(raw, at);
        for (const r of parsed.records) merged.records.push(r);
        for (const e of parsed.errors) merged.errors.push(e);
        if (parsed.ignored) addIgnored((merged.ignored ??= {}), parsed.ignored);
        if (parsed.cursor !== undefined) merged.cursor = parsed.cursor;
      }
      if (cursor !== undefined) merged.cursor = cursor;
    }
    try {
      this.storeParsed(merged, batch[batch.length - 1]!.at);
    } catch (error) {
      // The database refused the batch (disk full…): say so; the stream keeps running.
      this.failed(`could not store ${batch.length} messages: ${(error as Error).message}`);
    }
  }
}
