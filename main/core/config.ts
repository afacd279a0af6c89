import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JournalRetentionConfig } from './audit/retention';
import { PrivacyPolicy } from './privacy/policy';
import { Indicator } from '../../common/domain/indicator';
import { SignalFeedConfig } from './signals/signals';
import { CalendarConfig } from './calendar/calendarConfig';
import { AlarmConfig } from '../../common/domain/alarm';
import { isKnownEncoding } from './feeds/adapter';
import { BasemapName, Settings } from '../../common/domain/settings';

/**
 * How the bytes of a feed arrive. `poll` fetches `url` on a schedule; `websocket` and `sse` hold a
 * stream open to `url`; `tcp` and `udp` listen on `listen` (CoT senders push to us); `folder` reads
 * files dropped into `path`; `takserver` connects to a TAK Server at `url` (ssl://host:8089 with a
 * client certificate, or tcp://host:8087).
 */
export const FEED_TRANSPORTS = ['poll', 'websocket', 'sse', 'tcp', 'udp', 'folder', 'takserver', 'intake'] as const;
export const FeedTransport = z.enum(FEED_TRANSPORTS);
export type FeedTransport = z.infer<typeof FeedTransport>;

export const FeedConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, at most 64'),
    type: z.string(),
    label: z.string().optional(),
    transport: FeedTransport.optional(),
    url: z.string().url().optional(),
    /** tcp/udp: where to listen. Loopback unless IT says otherwise: senders are usually on the same LAN relay. */
    listen: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535) }).optional(),
    /** folder: the drop folder; read files move to `done/` (or `failed/` when unreadable) beside them. */
    path: z.string().optional(),
    // Down to a quarter second for push-like local sources (and the end-to-end tests); most feeds poll every 10-60 s.
    intervalSeconds: z.number().min(0.25).max(86_400).default(15),
    timeoutSeconds: z.number().min(1).max(300).default(10),
    /** Streams: no message for this long and the feed is shown stale (default: 3 × interval, at least 60 s). */
    staleAfterSeconds: z.number().min(1).max(86_400 * 7).optional(),
    /** A payload (HTTP body, message, file, datagram) larger than this is refused and quarantined, clipped. */
    maxPayloadBytes: z.number().int().min(1024).max(1024 ** 3).default(16 * 1024 * 1024),
    /** Poll: query parameter carrying the cursor (default: `updated_after` for open311, `since` otherwise). */
    cursorParam: z.string().min(1).max(64).optional(),
    /** Poll: hosts besides the feed's own whose links (CAP index entries, SensorThings pages) may be followed. */
    linkHosts: z.array(z.string().min(1)).max(50).default([]),
    paused: z.boolean().default(false),
    /**
     * The character encoding to assume when the bytes declare none (no BOM, HTTP charset or XML
     * declaration), e.g. "windows-1252" for a French spreadsheet's CSV. Default UTF-8.
     */
    encoding: z.string().refine(isKnownEncoding, 'not an encoding Vigie knows (e.g. utf-8, windows-1252, iso-8859-15)').optional(),
    /** Why this feed is collected, how long its records are kept, and which fields are dropped or pseudonymised. */
    privacy: PrivacyPolicy.prefault({}),
    /** Standard-specific options (field mapping…), validated by the feed's adapter. */
    options: z.unknown().optional(),
    /**
     * Citizen photos and videos the feed's records name (issue 22, docs/citizen-reports.md):
     * fetched from the feed's own host when a person opens them, within these limits.
     */
    media: z
      .object({
        maxBytes: z.number().int().min(1024).max(512 * 1024 * 1024).optional(),
        timeoutSeconds: z.number().min(1).max(300).optional(),
        /** false: videos are refused, only JPEG and PNG pictures are shown. */
        video: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /**
     * transport "intake" (issue 22): reports citizens' apps POST to us (Open311 GeoReport v2), one
     * API key per client app, stored as its SHA-256 only (docs/citizen-reports.md: how to make one).
     */
    intake: z
      .object({
        clients: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), z.object({ keySha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the key, 64 hex digits') }).strict()),
        perMinute: z.number().int().min(1).max(10_000).default(30),
        maxBodyBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
        maxMediaBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(12 * 1024 * 1024),
      })
      .strict()
      .optional(),
  })
  .transform((feed) => ({ ...feed, transport: feed.transport ?? inferTransport(feed) }))
  .superRefine((feed, ctx) => {
    const needsUrl = feed.transport === 'poll' || feed.transport === 'websocket' || feed.transport === 'sse';
    if (needsUrl && !feed.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${feed.transport} feed needs a url` });
    if (feed.transport === 'websocket' && feed.url && !/^wss?:\/\//i.test(feed.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a websocket feed needs a ws:// or wss:// url' });
    if ((feed.transport === 'poll' || feed.transport === 'sse') && feed.url && !/^https?:\/\//i.test(feed.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${feed.transport} feed needs an http(s) url` });
    if ((feed.transport === 'tcp' || feed.transport === 'udp') && !feed.listen) ctx.addIssue({ code: 'custom', path: ['listen'], message: `a ${feed.transport} feed needs listen: { host, port }` });
    if (feed.transport === 'intake' && (!feed.listen || !feed.intake)) ctx.addIssue({ code: 'custom', path: ['intake'], message: 'an intake feed needs listen: { host, port } and intake: { clients: { "<app>": { "keySha256": "…" } } }' });
    if (feed.transport === 'intake' && feed.type !== 'open311') ctx.addIssue({ code: 'custom', path: ['type'], message: 'an intake feed takes Open311 GeoReport v2 reports: set type "open311"' });
    if (feed.transport === 'folder' && !feed.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'a folder feed needs a path' });
    if (feed.transport === 'takserver' && !/^(ssl|tls|tcp):\/\/[^/]+/i.test(feed.url ?? '')) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a takserver feed needs an ssl://host:8089 (or tcp://host:8087) url' });
  });
export type FeedConfig = z.output<typeof FeedConfig>;
export type FeedConfigInput = z.input<typeof FeedConfig>;

function inferTransport(feed: { url?: string | undefined; listen?: unknown; path?: string | undefined }): FeedTransport {
  if (feed.url && /^wss?:\/\//i.test(feed.url)) return 'websocket';
  if (feed.url && /^(ssl|tls|tcp):\/\//i.test(feed.url)) return 'takserver';
  if (!feed.url && feed.path) return 'folder';
  return 'poll';
}

/** The map under the city pack: offline PMTiles/MBTiles files (path relative to the profile), or an online MapLibre style. */
export const BasemapConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('builtin') }),
  z.object({ type: z.enum(['pmtiles', 'mbtiles']), path: z.string().min(1), attribution: z.array(z.string()).optional() }),
  z.object({ type: z.literal('style'), url: z.string().url() }),
]);
export type BasemapConfig = z.infer<typeof BasemapConfig>;

/** An append-only place outside the profile (WORM share, log server mount) that receives the journal's head. */
export const AuditAnchorConfig = z
  .object({
    anchorFile: z.string().min(1),
    anchorEverySeconds: z.number().int().min(10).max(86_400).default(300),
  })
  .strict();
export type AuditAnchorConfig = z.infer<typeof AuditAnchorConfig>;

export const ProfileConfig = z.object({
  feeds: z.array(FeedConfig).default([]),
  /** "auto": the simulated demo feed runs when no feed is configured. */
  demo: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  basemap: BasemapConfig.default({ type: 'builtin' }),
  /** Basemaps IT deployed, by name: a desk user may choose among them (settings.set basemap NAME), never give a path. */
  basemaps: z.record(BasemapName, BasemapConfig).default({}),
  /** Automatic updates (Electron): IT's switch and URL; the machine policy's win. A desk user never sets them. */
  updates: Settings.shape.updates.optional(),
  /** A city pack folder built by `vigie pack build` (relative to the profile); the built-in Marseille pack otherwise. */
  cityPack: z.string().min(1).optional(),
  /** Retention of what feeds no longer configured (or ingested from files) brought. */
  defaultRetentionDays: z.number().min(1).max(3650).default(365),
  /** Operators' notes on incidents (free text about people): deleted after this many days; default defaultRetentionDays. */
  notesRetentionDays: z.number().int().min(1).max(3650).optional(),
  /** District indicators deployed by IT; a supervisor's edits in the UI take over from them. */
  indicators: z.array(Indicator).default([]),
  /** Aggregated-signal feeds (counts per area and bucket), each with its k. */
  signals: z.array(SignalFeedConfig).default([]),
  /** Events calendar: the distance under which two simultaneous events clash. */
  calendar: CalendarConfig,
  /** Where the audit journal's head is anchored (main/core/audit/anchor.ts); the machine policy's wins. */
  audit: AuditAnchorConfig.optional(),
  /** Retention of journal rows through a signed checkpoint (main/core/audit/retention.ts); the machine policy's wins. */
  journal: JournalRetentionConfig.optional(),
  /**
   * A workstation of a control room's hub (docs/hub.md): the hubs in order of preference, this
   * workstation's id there, and the file holding its secret (relative to the profile).
   */
  hub: z
    .object({
      urls: z.array(z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// URL')).min(1),
      workstation: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
      secretFile: z.string().min(1),
    })
    .strict()
    .optional(),
  /** The live area forecast: which model of main/core/forecast/registry.ts the map and the model card use. */
  forecast: z.object({ model: z.enum(['auto', 'kde', 'hawkes', 'count-all', 'count-recent']).default('auto') }).prefault({}),
  /** The alarm queue: grouping window, CAP severity, escalation per kind, the room's sound (docs/supervisor.md). */
  alarms: AlarmConfig,
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
