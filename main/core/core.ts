import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from './bus';
import { loadProfileConfig, type ProfileConfig } from './config';
import { loadDemoPlaces } from './city/cityPack';
import { DemoFeed, DEMO_FEED_ID } from './feeds/demo';
import { FeedScheduler, type FeedRunner } from './feeds/scheduler';
import { minimisersFor } from './privacy/keys';
import { loadCredentials } from './feeds/credentials';
import { FeedAdmin } from './feeds/feedAdmin';
import { Store } from './store';
import { createApi } from './api/index';
import type { Handlers } from './dispatch';
import { appRoot } from './paths';

export interface CoreOptions {
  profileDir: string;
  /** false: never run the simulated feed, even with no feed configured (`--no-demo`). */
  demo?: boolean;
  demoIntervalMs?: number;
}

/** The data service: one profile's cache, its feeds, and the API over them. No Electron here. */
export class VigieCore {
  readonly bus = new EventBus();
  readonly store: Store;
  readonly scheduler: FeedScheduler;
  readonly feedAdmin: FeedAdmin;
  readonly config: ProfileConfig;
  readonly api: Handlers;
  readonly version: string;
  demoRunning = false;
  /** Feeds whose records are simulated, so every entity from them is labelled so on screen. */
  readonly simulatedFeeds = new Set<string>();

  constructor(readonly profileDir: string, private readonly options: CoreOptions) {
    fs.mkdirSync(profileDir, { recursive: true });
    this.config = loadProfileConfig(profileDir);
    this.store = Store.open(profileDir);
    try {
      const minimiserFor = minimisersFor(profileDir);
      const credentials = loadCredentials(profileDir);
      const ctx = { store: this.store, bus: this.bus, minimiserFor, credentialFor: (id: string) => credentials[id] };
      this.scheduler = new FeedScheduler(ctx, this.config.feeds, { defaultRetentionDays: this.config.defaultRetentionDays });
      const wantDemo = options.demo !== false && (this.config.demo === true || (this.config.demo === 'auto' && this.config.feeds.length === 0));
      if (wantDemo) {
        this.scheduler.add(new DemoFeed(ctx, { places: loadDemoPlaces(), ...(options.demoIntervalMs ? { meanIntervalMs: options.demoIntervalMs } : {}) }));
        this.demoRunning = true;
        this.simulatedFeeds.add(DEMO_FEED_ID);
      }
    } catch (error) {
      this.store.close();
      throw error;
    }
    this.feedAdmin = new FeedAdmin(profileDir, this.scheduler);
    this.version = JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version;
    this.api = createApi(this);
  }

  /** Every feed runner (configured feeds, then the demo). */
  get feeds(): readonly FeedRunner[] {
    return this.scheduler.runners;
  }

  start(): void {
    this.scheduler.start();
  }

  async close(): Promise<void> {
    await this.scheduler.stop();
    this.store.close();
  }
}
