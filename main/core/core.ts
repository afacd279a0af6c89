import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from './bus';
import { loadProfileConfig, type ProfileConfig } from './config';
import { loadCityPack, loadCityPackDir, loadDemoPlaces, packStops } from './city/cityPack';
import { packEtaModel } from './routing/roadEta';
import { DemoFeed, DEMO_FEED_ID } from './feeds/demo';
import { FeedScheduler, type FeedContext, type FeedRunner } from './feeds/scheduler';
import { minimisersFor } from './privacy/keys';
import { FeedCredentials } from './feeds/credentials';
import { FeedAdmin } from './feeds/feedAdmin';
import { Store } from './store';
import { createApi } from './api/index';
import { log } from './log';
import { BackupSchedule } from './backup/schedule';
import type { DispatchHooks, Handlers } from './dispatch';
import { appRoot } from './paths';
import { loadMachinePolicy, machinePolicyPath, UserSettings, resolveSettings, type PolicyLoad } from './policy/machinePolicy';
import type { EffectiveSettings } from '../../common/domain/settings';
import type { Role } from '../../common/domain/roles';
import { loadPolicy, type Policy } from './policy/policy';
import { roleOf, type RoleAnswer } from './policy/roles';
import type { SyncStatus } from '../../common/domain/sync';
import { OperatorActions } from './actions/operatorActions';
import { followUnitFeeds } from './dispatch/unitFeedProgress';
import { readSandbox, ScenarioRunner, type SandboxInfo } from './training/sandbox';
import { AnnotationService } from './annotations/annotations';
import { IndicatorService } from './indicators/indicators';
import { districtsFrom, type District } from './indicators/districts';
import { SignalService } from './signals/signals';
import { CalendarService } from './calendar/calendar';
import { AnchorWriter } from './audit/anchor';
import { checkpointKey, JournalRetentionConfig, purgeJournal } from './audit/retention';
import type { AuditAnchorConfig } from './config';

const logger = log('core');
const auditLogger = log('audit');

/** What the API needs of a workstation's hub link. */
export interface SyncLink {
  status(): SyncStatus;
  dismiss(uid: string): void;
  /** Where this seat's journal head is anchored at the hub, as the hub last said (hub/workstation.ts). */
  anchorStatus?(): { hub: string; newest: { id: number; hash: string; at: number } | null; problem: string | null };
}

export interface CoreOptions {
  profileDir: string;
  /** The machine policy file; default: the OS location (machinePolicyPath). */
  policyFile?: string;
  /** false: never run the simulated feed, even with no feed configured (`--no-demo`). */
  demo?: boolean;
  demoIntervalMs?: number;
  /** The role policy file (`--policy`); default $VIGIE_POLICY, else `<profile>/policy.json` when present. */
  rolePolicyFile?: string;
  /** The hub: told of every feed batch that changed something, to relay it (main/core/hub). */
  onFeedBatch?: FeedContext['onBatch'];
  /**
   * false: assigned units do not move forward from their own feed here (a workstation of a hub:
   * the hub does it once, for every seat).
   */
  followUnitFeeds?: boolean;
}

/** The data service: one profile's cache, its feeds, and the API over them. No Electron here. */
export class VigieCore {
  readonly bus = new EventBus();
  readonly store: Store;
  readonly scheduler: FeedScheduler;
  readonly feedAdmin: FeedAdmin;
  readonly config: ProfileConfig;
  /** The contract's handlers; a workstation of a hub wraps the shared actions (attachSync). */
  api: Handlers;
  /** The hub link of a workstation (main/core/hub/workstation.ts), or null for a single desk. */
  sync: SyncLink | null = null;
  readonly actions: OperatorActions;
  readonly annotations: AnnotationService;
  readonly indicators: IndicatorService;
  readonly signals: SignalService;
  readonly calendar: CalendarService;
  private stopIndicators: (() => void) | null = null;
  private anchorWriter: AnchorWriter | null = null;
  private backups: BackupSchedule | null = null;
  private journalTimer: NodeJS.Timeout | null = null;
  readonly dispatchHooks: DispatchHooks = {
    readOnly: () => this.readOnly,
    refused: (ctx, method) => {
      try {
        this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'refused', target: method, origin: ctx.origin });
      } catch (error) {
        logger.error({ err: error, method, user: ctx.user }, 'could not journal a refused call');
      }
    },
  };
  readonly version: string;
  demoRunning = false;
  readonly policy: PolicyLoad;
  /** The role policy file of a deployment that has one (main/core/policy/policy.ts); the machine policy's roles win over it. */
  readonly rolePolicy: Policy | null;
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
    fs.mkdirSync(profileDir, { recursive: true, mode: 0o700 });
    this.config = loadProfileConfig(profileDir);
    this.policy = loadMachinePolicy(options.policyFile ?? machinePolicyPath());
    this.userSettings = new UserSettings(profileDir);
    // A broken role policy is an error at start (PolicyError naming the file and field), never a silent default.
    this.rolePolicy = loadPolicy(profileDir, options.rolePolicyFile);
    // Half a policy is worse than none: an invalid one leaves the cache readable and nothing running.
    this.readOnly = this.policy.status === 'invalid' ? `the machine policy was refused: ${this.policy.error}` : null;
    if (this.readOnly) logger.error({ profileDir }, `Vigie starts read-only: ${this.readOnly}`);
    this.store = Store.open(profileDir);
    try {
      this.credentials = new FeedCredentials(profileDir);
      const minimiserFor = minimisersFor(profileDir);
      const credentials = this.credentials;
      const stops = packStops(this.config.cityPack ? path.resolve(profileDir, this.config.cityPack) : undefined);
      const ctx: FeedContext = {
        store: this.store, bus: this.bus, minimiserFor, credentialFor: (id: string) => credentials.get(id), stops,
        ...(options.onFeedBatch ? { onBatch: options.onFeedBatch } : {}),
      };
      const policy = this.policy.status === 'applied' ? this.policy.policy : undefined;
      // The machine policy's feeds, when it has some, are the feeds: config.json's are not used.
      const cap = policy?.retention?.maxDays;
      const feeds = (policy?.feeds ?? this.config.feeds).map((f) => (cap && f.privacy.retentionDays > cap ? { ...f, privacy: { ...f.privacy, retentionDays: cap } } : f));
      const defaultRetentionDays = Math.min(this.config.defaultRetentionDays, cap ?? Infinity);
      const notesRetentionDays = Math.min(this.config.notesRetentionDays ?? this.config.defaultRetentionDays, cap ?? Infinity);
      this.scheduler = new FeedScheduler(ctx, this.readOnly ? [] : feeds, { defaultRetentionDays, notesRetentionDays });
      // A workstation of a hub takes the hub's feeds: no demo of its own.
      const wantDemo = !this.readOnly && options.demo !== false && !this.config.hub && (this.config.demo === true || (this.config.demo === 'auto' && feeds.length === 0));
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
    this.actions = new OperatorActions(this.store, this.bus, packEtaModel(this.config.cityPack ? path.resolve(profileDir, this.config.cityPack) : undefined));
    if (options.followUnitFeeds !== false && !this.config.hub) followUnitFeeds(this.store, this.bus, this.actions);
    this.annotations = new AnnotationService(this.store, this.bus);
    this.annotations.watch();
    let districts: District[] | null = null;
    // The city pack is read on first use: a profile that never counts never pays for the polygons.
    const pack = () => (districts ??= districtsFrom((this.config.cityPack ? loadCityPackDir(path.resolve(profileDir, this.config.cityPack)) : loadCityPack()).districts));
    this.signals = new SignalService(this.store, this.config.signals, () => pack().map((d) => d.name), this.bus);
    this.calendar = new CalendarService(this.store, this.config.calendar, this.bus);
    this.indicators = new IndicatorService(this.store, this.bus, pack, this.config.indicators, this.signals, this.calendar);
    const sandbox = readSandbox(profileDir);
    this.training = sandbox ? { info: sandbox, runner: new ScenarioRunner({ store: this.store, bus: this.bus }, sandbox.scenario ?? { name: '', injections: [] }, profileDir) } : null;
    this.api = createApi(this);
  }

  settings(): EffectiveSettings {
    return resolveSettings(this.userSettings.read(), this.policy, { basemaps: Object.keys(this.config.basemaps), updates: this.config.updates });
  }

  /** True when IT's machine policy sets the feeds: nobody edits them from the app then. */
  get feedsSetByPolicy(): boolean {
    return this.policy.status === 'applied' && this.policy.policy.feeds !== undefined;
  }

  /** The role of a person (see roleOf: machine policy, then role policy file, then `fallback` on a single desk). */
  roleAnswer(user: string, fallback: Role): RoleAnswer {
    return roleOf(user, this.policy, this.rolePolicy, fallback);
  }

  /** The role of a person, or null when a deployed policy does not know them (they are refused). */
  roleFor(user: string, fallback: Role): Role | null {
    return this.roleAnswer(user, fallback).role;
  }

  /** Where the audit journal's head is anchored: the machine policy's place, else config.json's, else none. */
  get auditAnchor(): (AuditAnchorConfig & { file: string }) | null {
    const configured = (this.policy.status === 'applied' ? this.policy.policy.audit : undefined) ?? this.config.audit;
    return configured ? { ...configured, file: path.resolve(this.profileDir, configured.anchorFile) } : null;
  }

  /** Journal retention (machine policy first, then config.json, else 12 months) and its checkpoint key file. */
  get journalRetention(): JournalRetentionConfig & { keyFile: string } {
    const configured = (this.policy.status === 'applied' ? this.policy.policy.journal : undefined) ?? this.config.journal ?? JournalRetentionConfig.parse({});
    return { ...configured, keyFile: path.resolve(this.profileDir, configured.checkpointKeyFile) };
  }

  /** The key of the journal's retention checkpoint, or null when none was made yet. */
  auditKey(): Buffer | null {
    try {
      return checkpointKey(this.journalRetention.keyFile);
    } catch (error) {
      auditLogger.error({ err: error }, (error as Error).message);
      return null;
    }
  }

  /** Purges journal rows past their retention (at start, then daily). */
  purgeJournal(now = Date.now()): number {
    try {
      const purged = purgeJournal(this.store.audit, this.journalRetention, now);
      if (purged > 0) auditLogger.info(`${purged} journal rows older than ${this.journalRetention.retentionMonths} months purged through a signed checkpoint.`);
      return purged;
    } catch (error) {
      auditLogger.error({ err: error }, `journal retention did not run: ${(error as Error).message}`);
      return 0;
    }
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
    if (!this.readOnly && !this.training) {
      this.purgeJournal();
      this.journalTimer = setInterval(() => this.purgeJournal(), 24 * 3600 * 1000);
      this.journalTimer.unref();
    }
    const anchor = this.auditAnchor;
    if (anchor) {
      this.anchorWriter = new AnchorWriter(anchor.file, this.store.audit, anchor.anchorEverySeconds * 1000);
      this.anchorWriter.start();
    }
    // Scheduled backups of a live profile, when IT's policy asks for them (never of a sandbox).
    const backup = this.policy.status === 'applied' ? this.policy.policy.backup : undefined;
    if (backup && !this.training) {
      this.backups = new BackupSchedule(this.profileDir, backup);
      this.backups.start();
    }
  }

  async close(): Promise<void> {
    this.training?.runner.stop();
    this.stopIndicators?.();
    this.signals.stop();
    this.calendar.stop();
    await this.scheduler.stop();
    this.anchorWriter?.stop();
    await this.backups?.stop();
    if (this.journalTimer) clearInterval(this.journalTimer);
    this.store.close();
  }
}
