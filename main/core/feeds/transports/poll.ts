import type { FeedConfig } from '../../config';
import { capIndexLinks, type CapIndexEntry } from '../cap';
import { sensorThingsNextLink } from '../sensorThings';
import { BaseFeed, backoffDelayMs, describeError, type FeedContext } from '../runner';
import { redactUrl } from '../credentials';
import { readCapped } from '../../net/readCapped';

/** Pages of a SensorThings collection read in one poll; the rest waits for the next one. */
const MAX_PAGES = 100;
/** Linked CAP alerts fetched in one poll; the rest waits for the next one. */
const MAX_LINKS = 200;
/** An index lists recent entries only: links seen longer ago than this are forgotten. */
const SEEN_TTL_MS = 30 * 86_400_000;

interface Fetched {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array;
  /** The body was cut at the feed's limit; `size` is how much had arrived. */
  oversize?: { size: number };
}

/**
 * Polls an HTTP URL on the feed's interval, sending ETag / Last-Modified / cursor so unchanged
 * feeds cost a 304, and following what each standard links to: the alerts of a CAP Atom/RSS index
 * and the `@iot.nextLink` pages of a SensorThings collection. Open311's cursor goes out as
 * `updated_after`. A failure backs off exponentially with jitter.
 */
export class HttpPollFeed extends BaseFeed {
  readonly transport = 'poll';
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private abort: AbortController | null = null;
  /** stop() was called: an abort from now on is ours, not the feed's fault. */
  private halting = false;

  constructor(ctx: FeedContext, config: FeedConfig) {
    super(ctx, config);
  }

  start(): void {
    if (this.isPaused()) return;
    this.stopped = false;
    this.halting = false;
    this.startedAt = Date.now();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clearStatusTimer();
    this.abort?.abort();
    await this.inFlight;
  }

  /** One poll, now. Resolves when the batch is stored or the failure recorded. */
  async pollOnce(): Promise<void> {
    await this.pollShared();
    this.publishStatus();
  }

  protected expectedWindowMs(): number {
    return 3 * this.config.intervalSeconds * 1000 + this.config.timeoutSeconds * 1000;
  }

  private pollShared(): Promise<void> {
    if (!this.inFlight) this.inFlight = this.poll().finally(() => (this.inFlight = null));
    return this.inFlight;
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

  private cursorParam(): string {
    return this.config.cursorParam ?? (this.config.type === 'open311' ? 'updated_after' : 'since');
  }

  private async poll(): Promise<void> {
    const store = this.ctx.store;
    const state = store.feedState.get(this.id);
    const headers: Record<string, string> = { accept: 'application/geo+json, application/json, application/xml, */*' };
    if (state.etag) headers['if-none-match'] = state.etag;
    if (state.lastModified) headers['if-modified-since'] = state.lastModified;
    const url = new URL(this.requestUrl);
    const param = this.cursorParam();
    if (state.cursor && !url.searchParams.has(param)) url.searchParams.set(param, state.cursor);
    this.abort = new AbortController();
    try {
      const response = await this.fetch(url, headers);
      if (response.status === 304) {
        this.succeeded();
        return;
      }
      if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status} ${response.statusText} from ${this.where}`);
      const receivedAt = Date.now();
      const missed = await this.handleBody(url, response, receivedAt);
      // Links left to fetch: keep no validator, or a 304 would hide them from the next poll.
      this.succeeded(missed.length === 0 ? { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') } : { etag: null, lastModified: null }, receivedAt);
      if (missed.length > 0) {
        const n = missed.length;
        this.failed(`${n} link${n > 1 ? 's' : ''} of ${this.where} could not be fetched (${missed[0]}${n > 1 ? ', …' : ''}); ${n > 1 ? 'they are' : 'it is'} retried on the next poll`);
      }
    } catch (error) {
      // Aborted by stop(): not the feed's fault, nothing to record.
      if (this.halting) return;
      this.failed(error);
    } finally {
      this.abort = null;
    }
  }

  /** Stores a body and whatever it links to; returns what could not be fetched, to retry on the next poll. */
  private async handleBody(url: URL, response: Fetched, receivedAt: number): Promise<string[]> {
    const entries = this.config.type === 'cap' && !response.oversize ? capIndexLinks(response.body, { charset: charsetOf(response.headers), encoding: this.config.encoding }) : undefined;
    if (entries) {
      this.storeIndex(url, response, entries, receivedAt);
      return this.followCapIndex(url, entries);
    }
    const stored = this.storeFetched(response, receivedAt);
    if (!stored || response.oversize) return [];
    if (this.config.type === 'sensorthings') await this.followNextLinks(url, response.body);
    return [];
  }

  private storeFetched(response: Fetched, receivedAt: number, standIn?: string): boolean {
    if (response.oversize) {
      this.storeParsed(oversized(response, this.config.maxPayloadBytes), receivedAt);
      return false;
    }
    const parsed = this.parse(response.body, receivedAt, charsetOf(response.headers));
    // The full alert of an index entry replaces the stand-in made from the entry's inline fields.
    if (standIn) for (const r of parsed.records) if (r.kind === 'alert' && !r.references.includes(standIn)) r.references.push(standIn);
    this.storeParsed(parsed, receivedAt);
    return true;
  }

  /** The index itself: stand-ins of entries whose full alert was already fetched are not stored again. */
  private storeIndex(indexUrl: URL, response: Fetched, entries: CapIndexEntry[], receivedAt: number): void {
    const feedState = this.ctx.store.feedState;
    const fetched = new Set(entries.filter((e) => e.standIn && feedState.seen(this.id, seenKey(e, this.resolveLink(indexUrl, e.url)?.href ?? e.url))).map((e) => e.standIn));
    const parsed = this.parse(response.body, receivedAt, charsetOf(response.headers));
    if (fetched.size > 0) parsed.records = parsed.records.filter((r) => !(r.kind === 'alert' && fetched.has(r.alertId)));
    this.storeParsed(parsed, receivedAt);
  }

  private async followCapIndex(indexUrl: URL, entries: CapIndexEntry[]): Promise<string[]> {
    const feedState = this.ctx.store.feedState;
    feedState.forgetSeenBefore(this.id, Date.now() - SEEN_TTL_MS);
    const missed: string[] = [];
    let fetched = 0;
    for (const entry of entries) {
      if (this.halting) return missed;
      const link = this.resolveLink(indexUrl, entry.url);
      if (!link) continue;
      // An entry whose `updated` changed is a new version of the alert: fetch it again.
      const key = seenKey(entry, link.href);
      if (feedState.seen(this.id, key)) continue;
      // The rest waits for the next poll; not an error.
      if (fetched++ >= MAX_LINKS) return missed;
      try {
        const response = await this.fetch(link, { accept: 'application/cap+xml, application/xml, */*' });
        const receivedAt = Date.now();
        if (response.status >= 400 && response.status < 500) {
          // Gone for good: keep a trace where people look, do not ask again.
          this.storeParsed({ records: [], errors: [{ raw: link.href, reason: `alert linked from the index answered HTTP ${response.status} ${response.statusText}; skipped` }] }, receivedAt);
        } else if (response.status < 200 || response.status > 299) {
          throw new Error(`HTTP ${response.status} ${response.statusText} from ${link.href}`);
        } else {
          this.storeFetched(response, receivedAt, entry.standIn);
        }
        feedState.markSeen(this.id, key);
      } catch (error) {
        if (this.halting) return missed;
        missed.push(describeError(error));
      }
    }
    return missed;
  }

  private async followNextLinks(firstUrl: URL, firstBody: Uint8Array): Promise<void> {
    let body = firstBody;
    const visited = new Set([firstUrl.href]);
    for (let page = 1; page < MAX_PAGES; page++) {
      const next = sensorThingsNextLink(body);
      const link = next ? this.resolveLink(firstUrl, next) : undefined;
      if (!link || visited.has(link.href)) return;
      visited.add(link.href);
      const response = await this.fetch(link, { accept: 'application/json' });
      if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status} ${response.statusText} from ${link.href} (page ${page + 1})`);
      if (!this.storeFetched(response, Date.now())) return;
      body = response.body;
    }
  }

  /**
   * Links a feed hands us are followed only over http(s) and to the feed's own host (or hosts the
   * config lists): a feed must not make the control room fetch arbitrary addresses.
   */
  private resolveLink(base: URL, href: string): URL | undefined {
    let link: URL;
    try {
      link = new URL(href, base);
    } catch {
      return undefined;
    }
    if (link.protocol !== 'http:' && link.protocol !== 'https:') return undefined;
    if (link.host !== base.host && !(this.config.linkHosts ?? []).includes(link.host)) return undefined;
    return link;
  }

  /** GET with the feed's timeout and size limit; the body is cut (and flagged) past the limit. */
  private async fetch(url: URL, headers: Record<string, string>): Promise<Fetched> {
    const abort = this.abort ?? new AbortController();
    const timeout = setTimeout(() => abort.abort(new Error(`no answer within ${this.config.timeoutSeconds} s from ${redactUrl(url.href)}`)), this.config.timeoutSeconds * 1000);
    try {
      // Credentials go to the feed's own host only, never to a host its links point at.
      const own = url.host === new URL(this.requestUrl).host;
      const response = await fetch(url, { headers: own ? { ...headers, ...this.authHeaders() } : headers, signal: abort.signal });
      const limit = this.config.maxPayloadBytes;
      const declared = Number(response.headers.get('content-length') ?? NaN);
      const { bytes: body, size, over: cut } = await readCapped(response, limit);
      return {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: cut ? body.subarray(0, Math.min(body.byteLength, 64 * 1024)) : body,
        ...(cut ? { oversize: { size: Number.isFinite(declared) ? declared : size } } : {}),
      };
    } finally {
      clearTimeout(timeout);
    }
  }
}

/** What marks an index entry as fetched: its id (or link) and version. */
function seenKey(entry: CapIndexEntry, href: string): string {
  return `${entry.id ?? href}@${entry.updated ?? ''}`;
}

/** The `charset` parameter of a Content-Type, if the server declared one. */
function charsetOf(headers: Headers): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(headers.get('content-type') ?? '');
  return match?.[1];
}

function oversized(response: Fetched, limit: number) {
  const size = response.oversize?.size ?? response.body.byteLength;
  return {
    records: [],
    errors: [
      {
        raw: `${Buffer.from(response.body.subarray(0, 4096)).toString('utf8')}… [rest not kept]`,
        reason: `payload of ${size > limit ? `more than ${limit}` : size} bytes is over this feed's limit of ${limit} bytes (maxPayloadBytes); refused. Raise the limit in the feed config if the source is trusted.`,
      },
    ],
  };
}
