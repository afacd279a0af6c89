import { log } from './log';
import type { Timer } from './clock';
import { BackupSchedule } from './backup/schedule';
import type { DispatchHooks, Handlers } from './rpc';
import type { Role } from '../../common/domain/roles';
import type { RoleAnswer } from './policy/roles';
import { AnchorWriter } from './audit/anchor';
import { purgeJournal } from './audit/retention';
import { composeApi, wireServices, type Services, type WireOptions } from './compose';
import { HubSync, withHubReplication, type WorkstationOptions } from './hub/workstation';

export type { SyncLink } from './compose';

const logger = log('core');
const auditLogger = log('audit');
const mapLogger = log('map');

export interface CoreOptions extends WireOptions {
  profileDir: string;
  /**
   * This profile is a workstation of a hub: the methods the contract declares `replicates: 'hub'`
   * go through it (withHubReplication), and the link starts and stops with the core. The host
   * decides it (config.json "hub" or `--hub`), never for a training sandbox.
   */
  hub?: WorkstationOptions;
}

/**
 * One profile's data service as a running thing: it wires the services and composes the API
 * (compose.ts, the composition root), then owns their lifecycle (start, close). Handlers never
 * see it; the hosts, the hub and tests reach the services through it.
 */
export class VigieCore {
  readonly services: Services;
  /** The contract's handlers, composed once: a workstation of a hub's replicated methods wrapped. */
  readonly api: Handlers;
  /** The hub link of a workstation (main/core/hub/workstation.ts), or null for a single desk. */
  readonly sync: HubSync | null;
  readonly dispatchHooks: DispatchHooks;
  private stopIndicators: (() => void) | null = null;
  private stopAlarms: (() => void) | null = null;
  private anchorWriter: AnchorWriter | null = null;
  private backups: BackupSchedule | null = null;
  private journalTimer: NodeJS.Timeout | null = null;
  private warmUp: Timer | null = null;

  constructor(
    readonly profileDir: string,
    options: CoreOptions,
  ) {
    const services = wireServices(profileDir, options);
    this.services = services;
    const sync = options.hub ? new HubSync(services, options.hub) : null;
    const api = composeApi(services, sync);
    // The one place a seat of a hub differs: its shared actions are queued for the hub after they apply here.
    this.api = sync ? withHubReplication(api, sync) : api;
    this.sync = sync;
    this.dispatchHooks = {
      readOnly: () => services.policy.readOnly,
      roleView: () => ({ wallGrants: services.policy.applied?.wall?.fields ?? [] }),
      refused: (ctx, method) => {
        try {
          services.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'refused', target: method, origin: ctx.origin });
        } catch (error) {
          logger.error({ err: error, method, user: ctx.user }, 'could not journal a refused call');
        }
      },
    };
  }

  // The services, by name, for the hosts, the hub and tests (handlers get theirs in composeApi).
  get store() {
    return this.services.store;
  }
  get bus() {
    return this.services.bus;
  }
  get config() {
    return this.services.config;
  }
  get scheduler() {
    return this.services.scheduler;
  }
  get feedAdmin() {
    return this.services.feedAdmin;
  }
  get credentials() {
    return this.services.credentials;
  }
  get actions() {
    return this.services.actions;
  }
  get annotations() {
    return this.services.annotations;
  }
  get indicators() {
    return this.services.indicators;
  }
  get signals() {
    return this.services.signals;
  }
  get calendar() {
    return this.services.calendar;
  }
  get alarms() {
    return this.services.alarms;
  }
  get training() {
    return this.services.training;
  }
  get simulatedFeeds() {
    return this.services.simulatedFeeds;
  }
  get demoRunning() {
    return this.services.demoRunning;
  }
  get version() {
    return this.services.version;
  }
  /** The machine policy as loaded (applied, absent or invalid). */
  get policy() {
    return this.services.policy.machine;
  }
  /** The role policy file of a deployment that has one (main/core/policy/policy.ts); the machine policy's roles win over it. */
  get rolePolicy() {
    return this.services.policy.roles;
  }
  /** Why nothing may change (an invalid machine policy), or null. */
  get readOnly(): string | null {
    return this.services.policy.readOnly;
  }
  /** Every feed runner (configured feeds, then the demo). */
  get feeds() {
    return this.services.scheduler.runners;
  }

  /** The role of a person (see roleOf: machine policy, then role policy file, then `fallback` on a single desk). */
  roleAnswer(user: string, fallback: Role): RoleAnswer {
    return this.services.policy.roleAnswer(user, fallback);
  }

  /** The role of a person, or null when a deployed policy does not know them (they are refused). */
  roleFor(user: string, fallback: Role): Role | null {
    return this.roleAnswer(user, fallback).role;
  }

  /** Purges journal rows past their retention (at start, then daily). */
  purgeJournal(now = Date.now()): number {
    const retention = this.services.policy.journalRetention;
    try {
      const purged = purgeJournal(this.store.audit, retention, now);
      if (purged > 0) auditLogger.info(`${purged} journal rows older than ${retention.retentionMonths} months purged through a signed checkpoint.`);
      return purged;
    } catch (error) {
      auditLogger.error({ err: error }, `journal retention did not run: ${(error as Error).message}`);
      return 0;
    }
  }

  start(): void {
    const { scheduler, indicators, signals, calendar, training, policy } = this.services;
    const readOnly = policy.readOnly;
    scheduler.start();
    if (!readOnly) this.stopIndicators = indicators.watch();
    if (!readOnly) signals.start();
    if (!readOnly) calendar.start();
    if (!readOnly) this.stopAlarms = this.services.alarms.start();
    training?.runner.start();
    if (!readOnly && !training) {
      this.purgeJournal();
      this.journalTimer = setInterval(() => this.purgeJournal(), 24 * 3600 * 1000);
      this.journalTimer.unref();
    }
    const anchor = policy.auditAnchor;
    if (anchor) {
      this.anchorWriter = new AnchorWriter(anchor.file, this.store.audit, anchor.anchorEverySeconds * 1000);
      this.anchorWriter.start();
    }
    // Scheduled backups of a live profile, when IT's policy asks for them (never of a sandbox).
    const backup = policy.applied?.backup;
    if (backup && !training) {
      this.backups = new BackupSchedule(this.profileDir, backup);
      this.backups.start();
    }
    this.sync?.start();
    // The city pack and its districts (the land cut from Natural Earth's whole world: about half a
    // second here), loaded at the service's first idle moment: not on the path of the first desk's
    // map, which asks for the pack while it loads its page, nor of the first incident's district.
    this.warmUp = this.services.clock
      .setTimeout(() => {
        try {
          indicators.districts();
        } catch (error) {
          mapLogger.warn({ err: error }, `the city pack could not be loaded: ${(error as Error).message}`);
        }
      }, 0)
      .unref();
  }

  async close(): Promise<void> {
    this.sync?.stop();
    this.services.training?.runner.stop();
    this.stopIndicators?.();
    this.stopAlarms?.();
    this.services.signals.stop();
    this.services.calendar.stop();
    await this.services.scheduler.stop();
    this.anchorWriter?.stop();
    await this.backups?.stop();
    if (this.journalTimer) clearInterval(this.journalTimer);
    this.warmUp?.cancel();
    this.store.close();
  }
}
