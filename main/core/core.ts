import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from './bus';
import { loadProfileConfig } from './config';
import { loadDemoPlaces } from './city/cityPack';
import { DemoFeed, DEMO_FEED_ID } from './feeds/demo';
import { HttpPollFeed, type FeedRunner } from './feeds/scheduler';
import { Store } from './store';
import { createApi } from './api/index';
import type { DispatchHooks, Handlers } from './dispatch';
import { appRoot } from './paths';
import { loadMachinePolicy, machinePolicyPath, UserSettings, resolveSettings, type PolicyLoad } from './policy/machinePolicy';
import type { EffectiveSettings } from '../../common/domain/settings';
import type { Role } from '../../common/domain/roles';
import { OperatorActions } from './actions/operatorActions';
import { followUnitFeeds } from './dispatch/unitFeedProgress';
import { readSandbox, ScenarioRunner, type SandboxInfo } from './training/sandbox';
import { AnnotationService } from './annotations/annotations';

export interface CoreOptions {
  profileDir: string;
  /** The machine policy file; default: the OS location (machinePolicyPath). */
  policyFile?: string;
  /** false: never run the simulated feed, even with no feed configured (`--no-demo`). */
  demo?: boolean;
  demoIntervalMs?: number;
}

/** The data service: one profile's cache, its feeds, and the API over them. No Electron here. */
export class VigieCore {
  readonly bus = new EventBus();
  readonly store: Store;
  readonly feeds: FeedRunner[] = [];
  readonly api: Handlers;
  readonly actions: OperatorActions;
  readonly annotations: AnnotationService;
  readonly dispatchHooks: DispatchHooks = {
    readOnly: () => this.readOnly,
    refused: (ctx, method) => {
      try {
        this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'refused', target: method, origin: ctx.origin });
      } catch (error) {
        console.error('[audit] could not journal a refused call:', (error as Error).message);
      }
    },
  };
  readonly version: string;
  demoRunning = false;
  readonly policy: PolicyLoad;
  readonly userSettings: UserSettings;
  /** Why nothing may change (an invalid machine policy), or null. */
  readonly readOnly: string | null;
  /** Feeds whose records are simulated, so every entity from them is labelled so on screen. */
  readonly simulatedFeeds = new Set<string>();

  /** Set when this profile is a training sandbox (main/core/training). */
  readonly training: { info: SandboxInfo; runner: ScenarioRunner } | null;

  constructor(readonly profileDir: string, private readonly options: CoreOptions) {
    fs.mkdirSync(profileDir, { recursive: true });
    const config = loadProfileConfig(profileDir);
    this.policy = loadMachinePolicy(options.policyFile ?? machinePolicyPath());
    this.userSettings = new UserSettings(profileDir);
    // Half a policy is worse than none: an invalid one leaves the cache readable and nothing running.
    this.readOnly = this.policy.status === 'invalid' ? `the machine policy was refused: ${this.policy.error}` : null;
    if (this.readOnly) console.error(`Vigie starts read-only: ${this.readOnly}`);
    this.store = Store.open(profileDir);
    try {
      const ctx = { store: this.store, bus: this.bus };
      const feeds = this.policy.status === 'applied' && this.policy.policy.feeds ? this.policy.policy.feeds : config.feeds;
      if (!this.readOnly) for (const feed of feeds) this.feeds.push(new HttpPollFeed(ctx, feed));
      const wantDemo = !this.readOnly && options.demo !== false && (config.demo === true || (config.demo === 'auto' && feeds.length === 0));
      if (wantDemo) {
        this.feeds.push(new DemoFeed(ctx, { places: loadDemoPlaces(), ...(options.demoIntervalMs ? { meanIntervalMs: options.demoIntervalMs } : {}) }));
        this.demoRunning = true;
        this.simulatedFeeds.add(DEMO_FEED_ID);
      }
    } catch (error) {
      this.store.close();
      throw error;
    }
    this.version = JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version;
    this.actions = new OperatorActions(this.store, this.bus);
    followUnitFeeds(this.store, this.bus, this.actions);
    this.annotations = new AnnotationService(this.store, this.bus);
    this.annotations.watch();
    const sandbox = readSandbox(profileDir);
    this.training = sandbox ? { info: sandbox, runner: new ScenarioRunner({ store: this.store, bus: this.bus }, sandbox.scenario ?? { name: '', injections: [] }, profileDir) } : null;
    this.api = createApi(this);
  }

  settings(): EffectiveSettings {
    return resolveSettings(this.userSettings.read(), this.policy);
  }

  /**
   * The role of a person, from the machine policy's mapping; without a policy, the one person at
   * this workstation gets `fallback`. Null: the policy does not know this person, who is refused.
   */
  roleFor(user: string, fallback: Role): Role | null {
    const roles = this.policy.status === 'applied' ? this.policy.policy.roles : undefined;
    if (!roles) return fallback;
    return roles.users[user] ?? roles.default ?? null;
  }

  start(): void {
    for (const feed of this.feeds) feed.start();
    this.training?.runner.start();
  }

  async close(): Promise<void> {
    this.training?.runner.stop();
    await Promise.all(this.feeds.map((f) => f.stop()));
    this.store.close();
  }
}
