import { z } from 'zod';

/** The panels a wall display may show beside the map (renderer/features/wall). */
export const WALL_PANELS = ['incidents', 'units', 'feeds', 'clock'] as const;
export type WallPanel = (typeof WALL_PANELS)[number];

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
  /** The colour scheme: the dark control-room theme, or high contrast (a person's choice, Shift+C). */
  theme: z.enum(['dark', 'high-contrast']),
  /** Which panels a wall display shows beside its map, in order (the wall's layout, per workstation). */
  wallPanels: z.array(z.enum(WALL_PANELS)).max(WALL_PANELS.length),
  updates: z.object({
    enabled: z.boolean(),
    /** Where electron-updater looks for releases (a generic provider URL). */
    url: z.string().url().nullable(),
  }),
});
export type Settings = z.infer<typeof Settings>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(Settings.shape) as SettingKey[];

/**
 * The only settings a desk user may change for themselves. Paths, URLs and the update switch are
 * IT's (machine policy or the profile's config.json): a desk user who could set them could make
 * the service read any file or install from any server.
 */
export const DESK_SETTING_KEYS: readonly SettingKey[] = ['language', 'trailMinutes', 'basemap', 'theme', 'wallPanels'];

/** How IT names a deployed basemap; a desk user's `basemap` setting is one of these names (or "builtin"). */
export const BasemapName = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u, 'letters, digits, space, . _ - (at most 64), starting with a letter or digit');

export const DEFAULT_SETTINGS: Settings = {
  language: 'auto',
  basemap: 'builtin',
  trailMinutes: 15,
  theme: 'dark',
  wallPanels: [...WALL_PANELS],
  // Off unless IT turns it on: many control rooms forbid software that changes itself.
  updates: { enabled: false, url: null },
};

/** `profile`: the profile's config.json, written by IT, never by the service on a desk user's word. */
export const SettingSource = z.enum(['policy', 'user', 'profile', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

export const EffectiveSettings = z.object({
  values: Settings,
  sources: z.record(z.string(), SettingSource),
  locked: z.array(z.string()),
  /** The basemaps a desk user may choose among, by name ("builtin" first). */
  basemaps: z.array(z.string()),
  policy: z.object({
    path: z.string(),
    status: z.enum(['none', 'applied', 'invalid']),
    error: z.string().nullable(),
  }),
});
export type EffectiveSettings = z.infer<typeof EffectiveSettings>;
