import { z } from 'zod';

/**
 * Settings a person may change for themselves, unless IT's machine policy sets or locks them.
 * Precedence: machine policy > user settings > these defaults.
 */
export const Settings = z.object({
  language: z.enum(['auto', 'fr', 'en']),
  /** "builtin" (offline, from npm data), a .pmtiles/.mbtiles path, or a MapLibre style URL. */
  basemap: z.string().min(1).max(2000),
  /** Minutes of trail drawn behind each unit. */
  trailMinutes: z.number().int().min(0).max(240),
  updates: z.object({
    enabled: z.boolean(),
    /** Where electron-updater looks for releases (a generic provider URL). */
    url: z.string().url().nullable(),
  }),
});
export type Settings = z.infer<typeof Settings>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(Settings.shape) as SettingKey[];

export const DEFAULT_SETTINGS: Settings = {
  language: 'auto',
  basemap: 'builtin',
  trailMinutes: 15,
  // Off unless IT turns it on: many control rooms forbid software that changes itself.
  updates: { enabled: false, url: null },
};

export const SettingSource = z.enum(['policy', 'user', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

export const EffectiveSettings = z.object({
  values: Settings,
  sources: z.record(z.string(), SettingSource),
  locked: z.array(z.string()),
  policy: z.object({
    path: z.string(),
    status: z.enum(['none', 'applied', 'invalid']),
    error: z.string().nullable(),
  }),
});
export type EffectiveSettings = z.infer<typeof EffectiveSettings>;
