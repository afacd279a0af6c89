import { z } from 'zod';
import { pollText } from '../feeds/pollText';
import { DEFAULT_K, MIN_K, type SignalAnswer, type SignalBucket, type SignalReading } from '../../../common/domain/signal';
import { RpcError } from '../../../common/rpc';
import type { Store } from '../store';
import type { EventBus } from '../bus';
import { parseSignals } from './parse';
import { clipRaw } from '../feeds/adapter';
import { latestSignalBuckets, signalBucketsOf } from '../db/signalBuckets';

export const SignalFeedConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, at most 64'),
  label: z.string().optional(),
  /** Polled for JSON buckets; without it, buckets arrive by `signals.import`. */
  url: z.string().url().optional(),
  intervalSeconds: z.number().min(1).max(86_400).default(300),
  /** Buckets counting fewer than k are never shown, returned or exported. */
  k: z.number().int().min(MIN_K, `k is at least ${MIN_K}: smaller counts start to describe people`).default(DEFAULT_K),
  /** The cell ids this feed counts in, as IT declares them; absent: the city pack's district names. */
  areas: z.array(z.string().trim().min(1).max(120)).min(1).optional(),
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

  /**
   * @param districtNames the city pack's district names (read on first import); a bucket's area
   * must be one of them, or one of the cell ids its feed declares: a free-text area can name a
   * street address, and with it a person.
   */
  constructor(
    private readonly store: Store,
    feeds: readonly SignalFeedConfig[],
    private readonly districtNames?: () => readonly string[],
    private readonly bus?: EventBus,
  ) {
    this.feeds = new Map(feeds.map((f) => [f.id, f]));
  }

  /** The known area a bucket names (a district matched whatever its case), or null. */
  private knownArea(feed: SignalFeedConfig, area: string): string | null {
    const known = feed.areas ?? this.districtNames?.() ?? null;
    if (!known) return area;
    return known.find((a) => a === area) ?? known.find((a) => a.localeCompare(area, 'fr', { sensitivity: 'base' }) === 0) ?? null;
  }

  /**
   * A bucket that overlaps another of the same feed, kind and area without being the same bucket
   * (same start and length) is refused: two overlapping counts reveal, by difference, a count
   * below k (60 min = 12 and its first 45 min = 10 say 2 people came in the last quarter hour).
   */
  private overlapping(feedId: string, b: SignalBucket, accepted: readonly SignalBucket[]): SignalBucket | null {
    const prefix = `signal:${feedId}:${b.kind}:${b.area}:`;
    const end = b.start + b.minutes * 60_000;
    const stored: SignalBucket[] = signalBucketsOf(this.store.db, prefix, b.start - 1440 * 60_000, end);
    const others = [...stored, ...accepted.filter((a) => a.kind === b.kind && a.area === b.area)];
    return others.find((o) => o.start < end && b.start < o.start + o.minutes * 60_000 && !(o.start === b.start && o.minutes === b.minutes)) ?? null;
  }

  ingest(feedId: string, raw: string, receivedAt = Date.now()): SignalImport {
    const feed = this.feeds.get(feedId);
    if (!feed) throw new RpcError('not_found', `No aggregated-signal feed "${feedId}" in config.json (signals: [...]); add it there with its k first.`);
    const parsed = parseSignals(raw);
    const errors = [...parsed.errors];
    const buckets: SignalBucket[] = [];
    for (const candidate of parsed.buckets) {
      const area = this.knownArea(feed, candidate.area);
      if (area === null) {
        errors.push({ raw: clipRaw(JSON.stringify(candidate)), reason: `refused: area "${candidate.area.slice(0, 60)}" is neither a district of the city pack nor a cell id this feed declares (signals[].areas in config.json); free-text places can name an address, and a person.` });
        continue;
      }
      const b = { ...candidate, area };
      const other = this.overlapping(feedId, b, buckets);
      if (other) {
        errors.push({ raw: clipRaw(JSON.stringify(candidate)), reason: `refused: this ${b.minutes}-minute bucket from ${new Date(b.start).toISOString()} overlaps the ${other.minutes}-minute bucket from ${new Date(other.start).toISOString()} for ${b.kind} in ${b.area}; overlapping counts reveal by difference a count below k. Send buckets that tile time (the same start and length to correct one).` });
        continue;
      }
      buckets.push(b);
    }
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
    return this.answers(from, to).filter((a): a is SignalReading => a.count !== null);
  }

  /**
   * The same buckets, plus those below k without their count: what the map shows ("< k"). A count
   * of 0 and one of k − 1 give the same answer, so nothing is said beyond "fewer than k".
   */
  answers(from: number, to: number): SignalAnswer[] {
    const out: SignalAnswer[] = [];
    for (const { feedId, bucket: { k, count, ...bucket } } of latestSignalBuckets(this.store.db, from, to)) {
      const floor = Math.max(k, this.feeds.get(feedId)?.k ?? DEFAULT_K, MIN_K);
      out.push(count >= floor ? { ...bucket, count, feedId } : { ...bucket, feedId, count: null, belowK: floor });
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
