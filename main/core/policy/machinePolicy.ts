import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Role } from '../../../common/domain/roles';
import { WALL_HIDDEN_FIELDS } from './roleView';
import { BasemapName, DEFAULT_SETTINGS, DESK_SETTING_KEYS, SETTING_KEYS, Settings, type EffectiveSettings, type SettingKey, type SettingSource } from '../../../common/domain/settings';
import { AuditAnchorConfig, BasemapConfig, FeedConfig } from '../config';
import { JournalRetentionConfig } from '../audit/retention';

/**
 * A window the policy pins to a display (a wall PC): by number (1, 2… from left to right, then top
 * to bottom) or by the label the OS gives the monitor; full screen unless told otherwise.
 */
const PinnedWindow = z
  .object({ display: z.union([z.number().int().min(1).max(16), z.string().trim().min(1).max(200)]), fullScreen: z.boolean().default(true) })
  .strict();
/** Keys: the main window and the pop-out panels (main/electron/windowLayout.ts WINDOW_KINDS). */
export const WindowsPolicy = z.object({ main: PinnedWindow.optional(), incidents: PinnedWindow.optional(), details: PinnedWindow.optional(), board: PinnedWindow.optional() }).strict();
export type WindowsPolicy = z.infer<typeof WindowsPolicy>;

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
    /** A wall display's view (main/core/policy/roleView.ts): which personal fields it may show anyway. */
    wall: z.object({ fields: z.array(z.enum(WALL_HIDDEN_FIELDS)).default([]) }).strict().optional(),
    /** Which window opens on which display, full screen: wins over the layout saved on the workstation (docs/screens.md). */
    windows: WindowsPolicy.optional(),
    /** Basemaps IT deploys by name (added to the profile's); desk users choose among them. */
    basemaps: z.record(BasemapName, BasemapConfig).optional(),
    /**
     * Citizen photos and videos (issue 22): never on the wall display, never in exports, unless
     * IT turns them on here (docs/citizen-reports.md).
     */
    citizenMedia: z.object({ wallDisplay: z.boolean().default(false), exports: z.boolean().default(false) }).strict().optional(),
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

/** What IT wrote in the profile's config.json that settings draw on. */
export interface ProfileSettings {
  /** Names of the basemaps deployed in config.json (the machine policy's are added). */
  basemaps?: readonly string[];
  updates?: Settings['updates'] | undefined;
}

/** The basemap names a desk user may choose: "builtin", then those config.json and the policy deploy. */
export function basemapNames(load: PolicyLoad, profile: ProfileSettings = {}): string[] {
  const policy = load.status === 'applied' ? Object.keys(load.policy.basemaps ?? {}) : [];
  return [...new Set(['builtin', ...(profile.basemaps ?? []), ...policy])];
}

/**
 * Merges defaults, config.json, the user's settings and the policy, key by key, remembering where
 * each came from. A user value is honoured only for a desk setting, and a basemap only by a name
 * IT deployed: a settings.json written by an older Vigie (or by hand) cannot smuggle in a path or
 * an update URL.
 */
export function resolveSettings(user: Partial<Settings>, load: PolicyLoad, profile: ProfileSettings = {}): EffectiveSettings {
  const policy = load.status === 'applied' ? load.policy : undefined;
  const basemaps = basemapNames(load, profile);
  const values = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, SettingSource>;
  const userMay = (key: SettingKey) => DESK_SETTING_KEYS.includes(key) && (key !== 'basemap' || basemaps.includes(user.basemap as string));
  for (const key of SETTING_KEYS) {
    if (policy?.settings?.[key] !== undefined) {
      values[key] = policy.settings[key];
      sources[key] = 'policy';
    } else if (user[key] !== undefined && !policy?.locked.includes(key) && userMay(key)) {
      values[key] = user[key];
      sources[key] = 'user';
    } else if (key === 'updates' && profile.updates) {
      values[key] = profile.updates;
      sources[key] = 'profile';
    } else {
      sources[key] = 'default';
    }
  }
  const locked = SETTING_KEYS.filter((k) => sources[k] === 'policy' || policy?.locked.includes(k) || !DESK_SETTING_KEYS.includes(k));
  return {
    values: values as Settings,
    sources,
    locked,
    basemaps,
    policy: { path: load.path, status: load.status, error: load.status === 'invalid' ? load.error : null },
  };
}

export class LockedSettingError extends Error {
  override name = 'LockedSettingError';
}

/** A desk user asked for a setting that is IT's, or a basemap IT did not deploy: a user mistake (bad_request). */
export class DeskSettingError extends Error {
  override name = 'DeskSettingError';
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
    if (!DESK_SETTING_KEYS.includes(key)) {
      throw new DeskSettingError(`"${key}" is not a personal setting: IT sets it in the machine policy or the profile's config.json. Ask your IT team to change it.`);
    }
    if (key === 'basemap' && !effective.basemaps.includes(value as string)) {
      throw new DeskSettingError(`"${String(value).slice(0, 80)}" is not one of the basemaps deployed here (${effective.basemaps.join(', ')}). Choose one of those names; IT adds basemaps in the machine policy or config.json.`);
    }
    if (effective.locked.includes(key)) {
      throw new LockedSettingError(`"${key}" is set by your organisation's policy (${effective.policy.path}) and cannot be changed here.`);
    }
    const checked = Settings.shape[key].parse(value);
    const next = { ...this.read(), [key]: checked };
    fs.writeFileSync(this.file, `${JSON.stringify(next, null, 2)}\n`);
  }
}
