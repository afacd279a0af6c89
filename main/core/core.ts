import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from './bus';
import { loadProfileConfig, type ProfileConfig } from './config';
import { loadCityPack, loadCityPackDir, loadDemoPlaces } from './city/cityPack';
import { DemoFeed, DEMO_FEED_ID } from './feeds/demo';
import { FeedScheduler, type FeedRunner } from './feeds/scheduler';
import { minimisersFor } from './privacy/keys';
import { FeedCredentials } from './feeds/credentials';
import { FeedAdmin } from './feeds/feedAdmin';
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
import { IndicatorService } from './indicators/indicators';
import { districtsFrom, type District } from './indicators/districts';
import { SignalService } from './signals/signals';
import { CalendarService } from './calendar/calendar';

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
  readonly scheduler: FeedScheduler;
  readonly feedAdmin: FeedAdmin;
  readonly config: ProfileConfig;
  readonly api: Handlers;
  readonly actions: OperatorActions;
  readonly annotations: AnnotationService;
  readonly indicators: IndicatorService;
  readonly signals: SignalService;
  readonly calendar: CalendarService;
  private stopIndicators: (() => void) | null = null;
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

  /** Feed credentials: the 0600 file, or those Electron's main decrypted from the OS keychain. */
  readonly credentials!: FeedCredentials;

  /** Set when this profile is a training sandbox (main/core/training). */
  readonly training: { info: SandboxInfo; runner: ScenarioRunner } | null;

  constructor(readonly profileDir: string, private readonly options: CoreOptions) {
    fs.mkdirSync(profileDir, { recursive: true });
    this.config = loadProfileConfig(profileDir);
    this.policy = loadMachinePolicy(options.policyFile ?? machinePolicyPath());
    this.userSettings = new UserSettings(profileDir);
    // Half a policy is worse than none: an invalid one leaves the cache readable and nothing running.
    this.readOnly = this.policy.status === 'invalid' ? `the machine policy was refused: ${this.policy.error}` : null;
    if (this.readOnly) console.error(`Vigie starts read-only: ${this.readOnly}`);
    this.store = Store.open(profileDir);
    try {
      this.credentials = new FeedCredentials(profileDir);
      const minimiserFor = minimisersFor(profileDir);
      const credentials = this.credentials;
      const ctx = { store: this.store, bus: this.bus, minimiserFor, credentialFor: (id: string) => credentials.get(id) };
      const policy = this.policy.status === 'applied' ? this.policy.policy : undefined;
      // The machine policy's feeds, when it has some, are the feeds: config.json's are not used.
      const cap = policy?.retention?.maxDays;
      const feeds = (policy?.feeds ?? this.config.feeds).map((f) => (cap && f.privacy.retentionDays > cap ? { ...f, privacy: { ...f.privacy, retentionDays: cap } } : f));
      const defaultRetentionDays = Math.min(this.config.defaultRetentionDays, cap ?? Infinity);
      this.scheduler = new FeedScheduler(ctx, this.readOnly ? [] : feeds, { defaultRetentionDays });
      const wantDemo = !this.readOnly && options.demo !== false && (this.config.demo === true || (this.config.demo === 'auto' && feeds.length === 0));
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
    this.actions = new OperatorActions(this.store, this.bus);
    followUnitFeeds(this.store, this.bus, this.actions);
    this.annotations = new AnnotationService(this.store, this.bus);
    this.annotations.watch();
    let districts: District[] | null = null;
    // The city pack is read on first use: a profile that never counts never pays for the polygons.
    const pack = () => (districts ??= districtsFrom((this.config.cityPack ? loadCityPackDir(path.resolve(profileDir, this.config.cityPack)) : loadCityPack()).districts));
    this.signals = new SignalService(this.store, this.config.signals);
    this.calendar = new CalendarService(this.store, this.config.calendar, this.bus);
    this.indicators = new IndicatorService(this.store, this.bus, pack, this.config.indicators, this.signals);
    const sandbox = readSandbox(profileDir);
    this.training = sandbox ? { info: sandbox, runner: new ScenarioRunner({ store: this.store, bus: this.bus }, sandbox.scenario ?? { name: '', injections: [] }, profileDir) } : null;
    this.api = createApi(this);
  }

  settings(): EffectiveSettings {
    return resolveSettings(this.userSettings.read(), this.policy);
  }

  /** True when IT's machine policy sets the feeds: nobody edits them from the app then. */
  get feedsSetByPolicy(): boolean {
    return this.policy.status === 'applied' && this.policy.policy.feeds !== undefined;
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

  /** Every feed runner (configured feeds, then the demo). */
  get feeds(): readonly FeedRunner[] {
    return this.scheduler.runners;
  }

  start(): void {
    this.scheduler.start();
    if (!this.readOnly) this.stopIndicators = this.indicators.watch();
    if (!this.readOnly) this.signals.start();
    if (!this.readOnly) this.calendar.start();
    this.training?.runner.start();
  }

  async close(): Promise<void> {
    this.training?.runner.stop();
    this.stopIndicators?.();
    this.signals.stop();
    this.calendar.stop();
    await this.scheduler.stop();
    this.store.close();
  }
}
