import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Indicator } from '../../common/domain/indicator';
import { SignalFeedConfig } from './signals/signals';
import { CalendarConfig } from './calendar/calendar';

export const FeedConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, at most 64'),
  type: z.string(),
  label: z.string().optional(),
  url: z.string().url(),
  // Down to a quarter second for push-like local sources (and the end-to-end tests); most feeds poll every 10-60 s.
  intervalSeconds: z.number().min(0.25).max(86_400).default(15),
  timeoutSeconds: z.number().min(1).max(300).default(10),
  /** Standard-specific options (field mapping…), validated by the feed's adapter. */
  options: z.unknown().optional(),
});
export type FeedConfig = z.infer<typeof FeedConfig>;

/** The map under the city pack: offline PMTiles/MBTiles files (path relative to the profile), or an online MapLibre style. */
export const BasemapConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('builtin') }),
  z.object({ type: z.enum(['pmtiles', 'mbtiles']), path: z.string().min(1), attribution: z.array(z.string()).optional() }),
  z.object({ type: z.literal('style'), url: z.string().url() }),
]);
export type BasemapConfig = z.infer<typeof BasemapConfig>;

export const ProfileConfig = z.object({
  feeds: z.array(FeedConfig).default([]),
  /** "auto": the simulated demo feed runs when no feed is configured. */
  demo: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  basemap: BasemapConfig.default({ type: 'builtin' }),
  /** A city pack folder built by `vigie pack build` (relative to the profile); the built-in Marseille pack otherwise. */
  cityPack: z.string().min(1).optional(),
  /** District indicators deployed by IT; a supervisor's edits in the UI take over from them. */
  indicators: z.array(Indicator).default([]),
  /** Aggregated-signal feeds (counts per area and bucket), each with its k. */
  signals: z.array(SignalFeedConfig).default([]),
  /** Events calendar: the distance under which two simultaneous events clash. */
  calendar: CalendarConfig,
});
export type ProfileConfig = z.infer<typeof ProfileConfig>;

export function configPath(profileDir: string): string {
  return path.join(profileDir, 'config.json');
}

/** Reads `<profile>/config.json`; a missing file is an empty config, an invalid one an error naming the field. */
export function loadProfileConfig(profileDir: string): ProfileConfig {
  const file = configPath(profileDir);
  if (!fs.existsSync(file)) return ProfileConfig.parse({});
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}). Fix the file or move it away to start with no feeds.`, { cause: error });
  }
  const parsed = ProfileConfig.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file} is not a valid Vigie profile config: ${issues}.`);
  }
  const ids = new Set<string>();
  for (const feed of parsed.data.feeds) {
    if (ids.has(feed.id)) throw new Error(`${file}: feed id "${feed.id}" is used twice; each feed needs its own id.`);
    ids.add(feed.id);
  }
  return parsed.data;
}
