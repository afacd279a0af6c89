import type { FeedStatus } from '../../../common/domain/feed';
import type { FeedConfig } from '../config';
import { feedsWithData, purgeExpired, purgeNotes, type PurgeReport, type RetentionRule } from '../privacy/purge';
import { BaseFeed, type FeedContext, type FeedRunner } from './runner';
import { DropFolderFeed } from './transports/folder';
import { TcpListenerFeed, UdpListenerFeed } from './transports/listeners';
import { HttpPollFeed } from './transports/poll';
import { SseFeed } from './transports/sse';
import { WebSocketFeed } from './transports/websocket';
import { TakServerFeed } from './transports/takServer';
import { IntakeFeed } from './transports/intake';
import { log } from '../log';
import { systemClock, type Clock, type Timer } from '../clock';

const logger = log('feeds');

export { backoffDelayMs, MAX_BACKOFF_MS, storeAndPublish, type FeedContext, type FeedRunner } from './runner';
export { HttpPollFeed } from './transports/poll';

/** The runner for a feed's transport. */
export function createRunner(ctx: FeedContext, config: FeedConfig): FeedRunner {
  switch (config.transport) {
    case 'poll':
      return new HttpPollFeed(ctx, config);
    case 'websocket':
      return new WebSocketFeed(ctx, config);
    case 'sse':
      return new SseFeed(ctx, config);
    case 'tcp':
      return new TcpListenerFeed(ctx, config);
    case 'udp':
      return new UdpListenerFeed(ctx, config);
    case 'folder':
      return new DropFolderFeed(ctx, config);
    case 'takserver':
      return new TakServerFeed(ctx, config);
    case 'intake':
      return new IntakeFeed(ctx, config);
  }
}

export interface SchedulerOptions {
  /** Retention of what feeds without a config of their own brought (removed feeds, CLI ingests, the demo). */
  defaultRetentionDays: number;
  /** Operators' notes are deleted after this many days (config.json notesRetentionDays, capped by the machine policy). */
  notesRetentionDays?: number;
  /** How often the retention purge runs; the first run is shortly after start. */
  purgeEveryMs?: number;
  /** How often statuses are recomputed, so that a feed turning late is pushed without any event. */
  statusEveryMs?: number;
}

/**
 * Owns the timing of every feed: starts and stops their runners (each keeps its own interval,
 * timeout and backoff), re-pushes a feed's status when it changes by itself (a feed becomes late
 * when nothing happens), and runs the retention purge.
 */
export class FeedScheduler {
  readonly runners: FeedRunner[] = [];
  private readonly configs = new Map<string, FeedConfig>();
  private statusTimer: Timer | null = null;
  private purgeTimer: Timer | null = null;
  private readonly clock: Clock;
  private readonly lastPushed = new Map<string, string>();

  constructor(
    private readonly ctx: FeedContext,
    configs: readonly FeedConfig[],
    private readonly options: SchedulerOptions,
  ) {
    this.clock = ctx.clock ?? systemClock;
    for (const config of configs) {
      this.configs.set(config.id, config);
      this.runners.push(createRunner(ctx, config));
    }
  }

  /** A runner built elsewhere (the demo simulator). */
  add(runner: FeedRunner): void {
    this.runners.push(runner);
  }

  get(id: string): FeedRunner | undefined {
    return this.runners.find((r) => r.id === id);
  }

  private running = false;

  start(): void {
    this.running = true;
    for (const runner of this.runners) runner.start();
    this.statusTimer = this.clock.setInterval(() => this.pushChangedStatuses(), this.options.statusEveryMs ?? 5_000).unref();
    const purge = () => {
      try {
        this.purge();
      } catch (error) {
        logger.error({ err: error }, 'retention purge failed; it runs again later');
      }
    };
    this.purgeTimer = this.clock.setTimeout(purge, 10_000).unref();
    this.purgeInterval = this.clock.setInterval(purge, this.options.purgeEveryMs ?? 3_600_000).unref();
  }

  private purgeInterval: Timer | null = null;

  async stop(): Promise<void> {
    this.running = false;
    this.statusTimer?.cancel();
    this.purgeTimer?.cancel();
    this.purgeInterval?.cancel();
    this.statusTimer = this.purgeTimer = this.purgeInterval = null;
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** Pauses or resumes a feed for an operator; remembered across restarts. */
  async setPaused(id: string, paused: boolean): Promise<FeedStatus> {
    const runner = this.get(id);
    if (!runner) throw new Error(`No feed "${id}". Feeds: ${this.runners.map((r) => r.id).join(', ') || 'none'}.`);
    if (!(runner instanceof BaseFeed)) throw new Error(`Feed "${id}" cannot be paused (the demo runs as long as it is enabled).`);
    if (!paused && runner.config.paused) throw new Error(`Feed "${id}" is paused in config.json; IT must change "paused" there.`);
    this.ctx.store.feedState.update(id, { paused: paused ? 1 : 0 });
    if (paused) await runner.stop();
    else runner.start();
    const status = runner.status();
    this.ctx.bus.emit('feed.status', { feed: status });
    return status;
  }

  /** Adds a feed, or replaces the one with its id (stopping it first); starts it if the scheduler runs. */
  async replace(config: FeedConfig): Promise<FeedStatus> {
    const runner = createRunner(this.ctx, config);
    const at = this.runners.findIndex((r) => r.id === config.id);
    if (at >= 0) {
      await this.runners[at]!.stop();
      this.runners[at] = runner;
    } else {
      this.runners.push(runner);
    }
    this.configs.set(config.id, config);
    if (this.running) runner.start();
    const status = runner.status();
    this.ctx.bus.emit('feed.status', { feed: status });
    return status;
  }

  /** Stops and forgets a feed; what it stored stays until its retention ends. */
  async remove(id: string): Promise<boolean> {
    const at = this.runners.findIndex((r) => r.id === id);
    if (at < 0) return false;
    const [runner] = this.runners.splice(at, 1);
    await runner!.stop();
    this.configs.delete(id);
    this.lastPushed.delete(id);
    this.ctx.bus.emit('feed.removed', { id });
    return true;
  }

  statuses(): FeedStatus[] {
    return this.runners.map((r) => r.status());
  }

  /** Pushes the statuses that differ from the last push (a feed turned late, a rate fell to 0). */
  pushChangedStatuses(): void {
    for (const runner of this.runners) {
      const status = runner.status();
      const { nextAttemptAt: _next, ...compared } = status;
      const key = JSON.stringify(compared);
      if (this.lastPushed.get(runner.id) === key) continue;
      this.lastPushed.set(runner.id, key);
      this.ctx.bus.emit('feed.status', { feed: status });
    }
  }

  /** Applies every feed's retention now; feeds no longer configured keep the default retention. */
  purge(now = this.clock.now()): PurgeReport[] {
    const rules: RetentionRule[] = feedsWithData(this.ctx.store).map((feedId) => {
      const config = this.configs.get(feedId);
      return config ? { feedId, retentionDays: config.privacy.retentionDays, purpose: config.privacy.purpose } : { feedId, retentionDays: this.options.defaultRetentionDays };
    });
    const reports = purgeExpired(this.ctx.store, rules, now);
    const notes = this.options.notesRetentionDays ? purgeNotes(this.ctx.store, this.options.notesRetentionDays, now) : null;
    return notes ? [...reports, notes] : reports;
  }
}
