import { z } from 'zod';
import { pollText } from '../feeds/pollText';
import { DEFAULT_K, MIN_K, type SignalBucket, type SignalReading } from '../../../common/domain/signal';
import { RpcError } from '../../../common/rpc';
import type { Store } from '../store';
import type { EventBus } from '../bus';
import { parseSignals } from './parse';

export const SignalFeedConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, at most 64'),
  label: z.string().optional(),
  /** Polled for JSON buckets; without it, buckets arrive by `signals.import`. */
  url: z.string().url().optional(),
  intervalSeconds: z.number().min(1).max(86_400).default(300),
  /** Buckets counting fewer than k are never shown, returned or exported. */
  k: z.number().int().min(MIN_K, `k is at least ${MIN_K}: smaller counts start to describe people`).default(DEFAULT_K),
});
export type SignalFeedConfig = z.infer<typeof SignalFeedConfig>;

export interface SignalImport {
  stored: number;
  refused: { reason: string }[];
}

/**
 * Aggregated signals (counts per area and time bucket): stored as `signal.bucket` events at the
 * bucket's start (so they replay), a bucket re-sent replaces the earlier one, and every read goes
 * through `readings`, which drops buckets below the feed's k. Refused records go to quarantine.
 */
export class SignalService {
  private readonly feeds: Map<string, SignalFeedConfig>;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly store: Store, feeds: readonly SignalFeedConfig[], private readonly bus?: EventBus) {
    this.feeds = new Map(feeds.map((f) => [f.id, f]));
  }

  ingest(feedId: string, raw: string, receivedAt = Date.now()): SignalImport {
    const feed = this.feeds.get(feedId);
    if (!feed) throw new RpcError('not_found', `No aggregated-signal feed "${feedId}" in config.json (signals: [...]); add it there with its k first.`);
    const { buckets, errors } = parseSignals(raw);
    const run = this.store.transaction(() => {
      for (const b of buckets) {
        this.store.log.append({ t: b.start, source: feedId, kind: 'signal.bucket', entity: `signal:${feedId}:${b.kind}:${b.area}:${b.start}`, payload: { ...b, k: feed.k } });
      }
      for (const e of errors) this.store.quarantine.add(feedId, receivedAt, e.reason, e.raw);
    });
    run();
    // The layer updates live, like the others: windows are told, and read the buckets through k.
    if (buckets.length > 0) this.bus?.emit('signals.changed', { feedId, at: receivedAt });
    return { stored: buckets.length, refused: errors.map((e) => ({ reason: e.reason })) };
  }

  /** Buckets starting in [from, to), the latest copy of each, never one below its k. */
  readings(from: number, to: number): SignalReading[] {
    const rows = this.store.db
      .prepare(
        `SELECT source, payload FROM events WHERE seq IN (
           SELECT max(seq) FROM events WHERE kind = 'signal.bucket' AND t >= ? AND t < ? GROUP BY entity
         ) ORDER BY t, seq`,
      )
      .all(from, to) as { source: string; payload: string }[];
    const out: SignalReading[] = [];
    for (const r of rows) {
      const { k, ...bucket } = JSON.parse(r.payload) as SignalBucket & { k: number };
      const floor = Math.max(k, this.feeds.get(r.source)?.k ?? DEFAULT_K, MIN_K);
      if (bucket.count >= floor) out.push({ ...bucket, feedId: r.source });
    }
    return out;
  }

  /** Polls the feeds that have a URL; a failure is logged and tried again next time. */
  start(): void {
    for (const feed of this.feeds.values()) {
      if (!feed.url) continue;
      const url = feed.url;
      this.timers.push(pollText(`signals ${feed.id}`, url, feed.intervalSeconds, (text) => this.ingest(feed.id, text)));
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
