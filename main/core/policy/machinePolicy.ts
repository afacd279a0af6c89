import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../../common/domain/roles';
import { DEFAULT_SETTINGS, SETTING_KEYS, Settings, type EffectiveSettings, type SettingKey, type SettingSource } from '../../../common/domain/settings';
import { AuditAnchorConfig, FeedConfig } from '../config';
import { JournalRetentionConfig } from '../audit/retention';

/**
 * The machine-wide policy IT deploys (GPO, Intune, Ansible…). Unknown keys are refused rather
 * than ignored: a typo in a policy must not silently leave a setting unmanaged.
 */
export const MachinePolicy = z
  .object({
    /** When present, these are the feeds: the profile's own config.json feeds are not used. */
    feeds: z.array(FeedConfig).optional(),
    roles: z
      .object({
        /** OS or token user name → role. */
        users: z.record(z.string(), Role).default({}),
        /** Role of anyone not listed; absent: people not listed are refused. */
        default: Role.optional(),
      })
      .strict()
      .optional(),
    retention: z
      .object({
        /** No feed keeps anything longer than this, whatever its own retention says. */
        maxDays: z.number().int().min(1).max(3650),
      })
      .strict()
      .optional(),
    /** The journal's external anchor (see main/core/audit/anchor.ts). */
    audit: AuditAnchorConfig.optional(),
    /** Scheduled backups of the live profile (main/core/backup/schedule.ts, docs/deploy.md). */
    backup: z
      .object({
        everyHours: z.number().min(0.25).max(24 * 31),
        /** How many backups to keep, newest first. */
        keep: z.number().int().min(1).max(1000),
        /** Where (relative paths from the profile); default <profile>/backups. */
        dir: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Browser mode identity (docs/security.md): may `serve --user` name someone else; must people log in. */
    /** Retention of journal rows and where the checkpoint key lives (main/core/audit/retention.ts). */
    journal: JournalRetentionConfig.optional(),
    browserMode: z.object({ allowUserFlag: z.boolean().default(false) }).strict().optional(),
    settings: Settings.partial().strict().optional(),
    /** Settings users may not change, even those the policy leaves at their default. */
    locked: z.array(z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]])).default([]),
  })
  .strict();
export type MachinePolicy = z.infer<typeof MachinePolicy>;

export type PolicyLoad =
  | { status: 'none'; path: string }
  | { status: 'applied'; path: string; policy: MachinePolicy }
  | { status: 'invalid'; path: string; error: string };

/** Where IT puts the policy on each OS; VIGIE_POLICY_FILE overrides (tests, staging). */
export function machinePolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIE_POLICY_FILE) return env.VIGIE_POLICY_FILE;
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Vigie', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Vigie/policy.json';
  return '/etc/vigie/policy.json';
}

/** Reads and validates the policy. Never throws: an invalid policy is reported, never half-applied. */
export function loadMachinePolicy(file = machinePolicyPath()): PolicyLoad {
  if (!fs.existsSync(file)) return { status: 'none', path: file };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { status: 'invalid', path: file, error: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = MachinePolicy.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? '' : '(root)');
    const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((k) => [...issue.path, k].join('.')).join(', ')}` : '';
    return { status: 'invalid', path: file, error: `${file}: ${field}${keys}: ${issue.message}` };
  }
  return { status: 'applied', path: file, policy: parsed.data };
}

/** Merges defaults, the user's settings and the policy, key by key, remembering where each came from. */
export function resolveSettings(user: Partial<Settings>, load: PolicyLoad): EffectiveSettings {
  const policy = load.status === 'applied' ? load.policy : undefined;
  const values = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, SettingSource>;
  for (const key of SETTING_KEYS) {
    if (policy?.settings?.[key] !== undefined) {
      values[key] = policy.settings[key];
      sources[key] = 'policy';
    } else if (user[key] !== undefined && !policy?.locked.includes(key)) {
      values[key] = user[key];
      sources[key] = 'user';
    } else {
      sources[key] = 'default';
    }
  }
  const locked = SETTING_KEYS.filter((k) => sources[k] === 'policy' || policy?.locked.includes(k));
  return {
    values: values as Settings,
    sources,
    locked,
    policy: { path: load.path, status: load.status, error: load.status === 'invalid' ? load.error : null },
  };
}

export class LockedSettingError extends Error {
  override name = 'LockedSettingError';
}

/** The user's own settings file in the profile, written only for keys the policy leaves open. */
export class UserSettings {
  private readonly file: string;

  constructor(profileDir: string) {
    this.file = path.join(profileDir, 'settings.json');
  }

  read(): Partial<Settings> {
    if (!fs.existsSync(this.file)) return {};
    try {
      const parsed = Settings.partial().safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      // A damaged settings file costs the person their preferences, not the application.
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  set<K extends SettingKey>(key: K, value: Settings[K], effective: EffectiveSettings): void {
    if (effective.locked.includes(key)) {
      throw new LockedSettingError(`"${key}" is set by your organisation's policy (${effective.policy.path}) and cannot be changed here.`);
    }
    const checked = Settings.shape[key].parse(value);
    const next = { ...this.read(), [key]: checked };
    fs.writeFileSync(this.file, `${JSON.stringify(next, null, 2)}\n`);
  }
}
