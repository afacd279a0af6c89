import path from 'node:path';
import type { EffectiveSettings } from '../../../common/domain/settings';
import type { Role } from '../../../common/domain/roles';
import type { AuditAnchorConfig, ProfileConfig } from '../config';
import { checkpointKey, JournalRetentionConfig } from '../audit/retention';
import { log } from '../log';
import { loadMachinePolicy, machinePolicyPath, resolveSettings, UserSettings, type PolicyLoad } from './machinePolicy';
import { loadPolicy, type Policy } from './policy';
import { roleOf, type RoleAnswer } from './roles';

const auditLogger = log('audit');

/**
 * What IT and the person decided for one profile: the machine policy, the role policy file, the
 * person's settings, and what follows from them (read-only, settings, roles, journal anchoring
 * and retention). One object, so handlers ask it instead of the whole core.
 */
export class ProfilePolicy {
  readonly machine: PolicyLoad;
  /** The role policy file of a deployment that has one (policy.ts); the machine policy's roles win over it. */
  readonly roles: Policy | null;
  readonly userSettings: UserSettings;
  /** Why nothing may change (an invalid machine policy), or null. */
  readonly readOnly: string | null;

  constructor(
    private readonly profileDir: string,
    private readonly config: ProfileConfig,
    files: { policyFile?: string | undefined; rolePolicyFile?: string | undefined },
  ) {
    this.machine = loadMachinePolicy(files.policyFile ?? machinePolicyPath());
    this.userSettings = new UserSettings(profileDir);
    // A broken role policy is an error at start (PolicyError naming the file and field), never a silent default.
    this.roles = loadPolicy(profileDir, files.rolePolicyFile);
    // Half a policy is worse than none: an invalid one leaves the cache readable and nothing running.
    this.readOnly = this.machine.status === 'invalid' ? `the machine policy was refused: ${this.machine.error}` : null;
  }

  /** The machine policy when it applies (valid and present), else undefined. */
  get applied() {
    return this.machine.status === 'applied' ? this.machine.policy : undefined;
  }

  settings(): EffectiveSettings {
    return resolveSettings(this.userSettings.read(), this.machine, { basemaps: Object.keys(this.config.basemaps), updates: this.config.updates });
  }

  /** True when IT's machine policy sets the feeds: nobody edits them from the app then. */
  /** Where citizen media may appear besides the desks' incident details: off by default (issue 22). */
  get citizenMedia(): { wallDisplay: boolean; exports: boolean } {
    return { wallDisplay: false, exports: false, ...this.applied?.citizenMedia };
  }

  get feedsSetByPolicy(): boolean {
    return this.applied?.feeds !== undefined;
  }

  /** The role of a person (see roleOf: machine policy, then role policy file, then `fallback` on a single desk). */
  roleAnswer(user: string, fallback: Role): RoleAnswer {
    return roleOf(user, this.machine, this.roles, fallback);
  }

  /** Where the audit journal's head is anchored: the machine policy's place, else config.json's, else none. */
  get auditAnchor(): (AuditAnchorConfig & { file: string }) | null {
    const configured = this.applied?.audit ?? this.config.audit;
    return configured ? { ...configured, file: path.resolve(this.profileDir, configured.anchorFile) } : null;
  }

  /** Journal retention (machine policy first, then config.json, else 12 months) and its checkpoint key file. */
  get journalRetention(): JournalRetentionConfig & { keyFile: string } {
    const configured = this.applied?.journal ?? this.config.journal ?? JournalRetentionConfig.parse({});
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
}
