import fs from 'node:fs';
import { systemClock, type Clock } from './clock';
import path from 'node:path';
import { EventBus } from './bus';
import { loadProfileConfig, type ProfileConfig } from './config';
import { loadCityPack, loadCityPackDir, loadDemoPlaces, packStops } from './city/cityPack';
import { DemoFeed, DEMO_FEED_ID } from './feeds/demo';
import { FeedScheduler, type FeedContext } from './feeds/scheduler';
import { minimisersFor } from './privacy/keys';
import { FeedCredentials } from './feeds/credentials';
import { FeedAdmin } from './feeds/feedAdmin';
import { Store } from './store';
import { appRoot } from './paths';
import { ProfilePolicy } from './policy/profilePolicy';
import { OperatorActions } from './actions/operatorActions';
import { followUnitFeeds } from './dispatch/unitFeedProgress';
import { readSandbox, ScenarioRunner, type SandboxInfo } from './training/sandbox';
import { AnnotationService } from './annotations/annotations';
import { IndicatorService } from './indicators/indicators';
import { districtsFrom, type District } from './indicators/districts';
import { SignalService } from './signals/signals';
import { CalendarService } from './calendar/calendar';
import { ForecastService } from './forecast/service';
import { forecastEntity } from './replay/kindsAt';
import { BookmarkFile } from './replay/bookmarks';
import { purgeHistory } from './privacy/purge';
import type { AreaForecast } from '../../common/methods/forecasts';
import type { SyncStatus } from '../../common/domain/sync';
import type { Handlers } from './rpc';
import { log } from './log';
import { feedHandlers } from './api/feeds';
import { incidentHandlers } from './api/incidents';
import { pictureHandlers } from './api/picture';
import { sessionHandlers } from './api/session';
import { settingsHandlers } from './api/settings';
import { replayHandlers } from './api/replay';
import { forecastHandlers } from './api/forecasts';
import { basemapHandlers } from './api/basemap';
import { actionHandlers } from './api/actions';
import { dispatchHandlers } from './api/dispatching';
import { auditHandlers } from './api/audit';
import { annotationHandlers } from './api/annotations';
import { indicatorHandlers } from './api/indicators';
import { handoverHandlers } from './api/handover';
import { HandoverRepository } from './db/handover';
import { signalHandlers } from './api/signals';
import { calendarHandlers } from './api/calendar';
import { trainingHandlers } from './api/training';
import { syncHandlers } from './api/hubLink';
import { cameraHandlers } from './api/cameras';
import { searchHandlers } from './api/search';
import { mediaHandlers } from './api/media';
import { MediaService } from './media/mediaService';
import { SearchService } from './search/searchService';
import { packEtaModel } from './routing/roadEta';
import { packRouter } from './routing/packRouter';
import { AlarmService } from './alarms/alarms';
import { alarmHandlers } from './api/alarms';
import { districtOf } from './indicators/districts';
import { historyHandlers } from './api/history';
import { activeAssignmentsAt, unitsAt } from './replay/unitsAt';
import { dataExtent, historyImports, storedProfileKind, type ProfileKind } from './db/history';

const logger = log('core');

/** The city pack this profile uses: config.json's cityPack (relative to the profile), or null for the built-in Marseille one. */
function cityPackDir(config: ProfileConfig, profileDir: string): string | null {
  return config.cityPack ? path.resolve(profileDir, config.cityPack) : null;
}

/** The pack itself (read on each call: callers keep what they need of it). */
const loadPackAt = (dir: string | null) => (dir ? loadCityPackDir(dir) : loadCityPack());
const forecastLogger = log('forecast');

/** What the API needs of a workstation's hub link (main/core/hub/workstation.ts implements it). */
export interface SyncLink {
  status(): SyncStatus;
  dismiss(uid: string): void;
  /** Where this seat's journal head is anchored at the hub, as the hub last said (hub/workstation.ts). */
  anchorStatus?(): { hub: string; newest: { id: number; hash: string; at: number } | null; problem: string | null };
}

export interface WireOptions {
  /** Time for the feeds and the training exercise; systemClock unless a test moves time (test/clock.ts). */
  clock?: Clock;
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

/** The services of one profile, each built once; handlers get the few they use (composeApi). */
export interface Services {
  profileDir: string;
  config: ProfileConfig;
  policy: ProfilePolicy;
  store: Store;
  bus: EventBus;
  scheduler: FeedScheduler;
  feedAdmin: FeedAdmin;
  /** Feed credentials: the 0600 file, or those Electron's main decrypted from the OS keychain. */
  credentials: FeedCredentials;
  actions: OperatorActions;
  annotations: AnnotationService;
  indicators: IndicatorService;
  signals: SignalService;
  calendar: CalendarService;
  forecasts: ForecastService;
  bookmarks: BookmarkFile;
  /** Offline search of everything placeable (the city pack's index, units, cameras, incidents). */
  search: SearchService;
  /** The one alarm queue (new P1/P2, indicator, geofence, CAP, feed and hub alarms), with its escalation timer. */
  alarms: AlarmService;
  /** Citizen photos and videos of reports: fetched on opening, cleaned, cached, journaled (issue 22). */
  media: MediaService;
  /** Set when this profile is a training sandbox (main/core/training). */
  training: { info: SandboxInfo; runner: ScenarioRunner } | null;
  /** Feeds whose records are simulated, so every entity from them is labelled so on screen. */
  simulatedFeeds: Set<string>;
  demoRunning: boolean;
  version: string;
  /** What the profile is (stored by `vigie import`; a sandbox is training). */
  kind: ProfileKind;
  /** The injected clock (systemClock unless a test moves time). */
  clock: Clock;
}

/**
 * The composition root, first half: opens the profile's cache and builds every service over it,
 * in dependency order. Nothing starts here (VigieCore.start does), so a test can wire a profile
 * without timers.
 */
export function wireServices(profileDir: string, options: WireOptions): Services {
  fs.mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  const config = loadProfileConfig(profileDir);
  const packDir = cityPackDir(config, profileDir);
  const policy = new ProfilePolicy(profileDir, config, { policyFile: options.policyFile, rolePolicyFile: options.rolePolicyFile });
  if (policy.readOnly) logger.error({ profileDir }, `Vigie starts read-only: ${policy.readOnly}`);
  const store = Store.open(profileDir);
  const bus = new EventBus();
  const kind: ProfileKind = readSandbox(profileDir) ? 'training' : (storedProfileKind(store.db) ?? 'live');
  const simulatedFeeds = new Set<string>();
  let scheduler: FeedScheduler;
  let credentials: FeedCredentials;
  let demoRunning = false;
  let training: Services['training'];
  let feedConfigs = new Map<string, ProfileConfig['feeds'][number]>();
  try {
    // A training sandbox runs on its exercise clock: feed timers and the retention purge count in
    // exercise time (the day being played is not "old" in its own exercise), operator actions are stamped with it.
    const sandbox = readSandbox(profileDir);
    training = sandbox ? { info: sandbox, runner: new ScenarioRunner({ store, bus, clock: options.clock ?? systemClock }, sandbox, profileDir) } : null;
    credentials = new FeedCredentials(profileDir);
    const minimiserFor = minimisersFor(profileDir);
    const held = credentials;
    const stops = packStops(packDir ?? undefined);
    const ctx: FeedContext = {
      store, bus, minimiserFor, credentialFor: (id: string) => held.get(id), stops, clock: training?.runner.clock ?? options.clock ?? systemClock,
      ...(options.onFeedBatch ? { onBatch: options.onFeedBatch } : {}),
    };
    const applied = policy.applied;
    // The machine policy's feeds, when it has some, are the feeds: config.json's are not used.
    const cap = applied?.retention?.maxDays;
    const feeds = (applied?.feeds ?? config.feeds).map((f) => (cap && f.privacy.retentionDays > cap ? { ...f, privacy: { ...f.privacy, retentionDays: cap } } : f));
    feedConfigs = new Map(feeds.map((f) => [f.id, f]));
    const defaultRetentionDays = Math.min(config.defaultRetentionDays, cap ?? Infinity);
    const notesRetentionDays = Math.min(config.notesRetentionDays ?? config.defaultRetentionDays, cap ?? Infinity);
    scheduler = new FeedScheduler(ctx, policy.readOnly ? [] : feeds, { defaultRetentionDays, notesRetentionDays });
    // A workstation of a hub takes the hub's feeds: no demo of its own.
    // Imported history and training sandboxes never mix the simulated feed into a real day.
    const wantDemo = kind === 'live' && !policy.readOnly && options.demo !== false && !config.hub && (config.demo === true || (config.demo === 'auto' && feeds.length === 0));
    if (wantDemo) {
      scheduler.add(new DemoFeed(ctx, { places: loadDemoPlaces(), ...(options.demoIntervalMs ? { meanIntervalMs: options.demoIntervalMs } : {}) }));
      demoRunning = true;
      simulatedFeeds.add(DEMO_FEED_ID);
    }
  } catch (error) {
    store.close();
    throw error;
  }
  const feedAdmin = new FeedAdmin(profileDir, scheduler);
  const version = (JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  // Drive times over the pack's roads when it has a routing graph; else the straight-line model, which says so.
  const actions = new OperatorActions(store, bus, packEtaModel(packDir ?? undefined), training?.runner.clock);
  if (options.followUnitFeeds !== false && !config.hub) followUnitFeeds(store, bus, actions);
  const annotations = new AnnotationService(store, bus);
  annotations.watch();
  let districts: District[] | null = null;
  // The city pack is read on first use: a profile that never counts never pays for the polygons.
  const pack = () => (districts ??= districtsFrom(loadPackAt(packDir).districts));
  const signals = new SignalService(store, config.signals, () => pack().map((d) => d.name), bus);
  const calendar = new CalendarService(store, config.calendar, bus);
  const indicators = new IndicatorService(store, bus, pack, config.indicators, signals, calendar);
  // Each forecast shown is also an event of the log, so replay shows what the supervisor saw then.
  const publish = (forecast: AreaForecast) => {
    if (policy.readOnly) return;
    try {
      store.transaction(() => store.log.append({ t: forecast.computedAt, source: 'forecast', kind: 'forecast.published', entity: forecastEntity(forecast.horizonHours), payload: forecast }))();
    } catch (error) {
      forecastLogger.error({ err: error }, 'could not log the published forecast');
    }
  };
  const forecasts = ForecastService.forProfile(store, profileDir, () => indicators.districts(), () => !policy.readOnly, config.forecast.model, publish);
  const bookmarks = new BookmarkFile(profileDir);
  // The pack the map shows (config.json's cityPack, else the built-in Marseille one).
  const search = new SearchService({ store, bus, packDir, pack: () => loadPackAt(packDir) });
  const alarms = new AlarmService({ store, bus, config: config.alarms, clock: options.clock ?? systemClock, districtOf: (lon, lat) => districtOf(indicators.districts(), lon, lat)?.name ?? null });
  const heldCredentials = credentials;
  const media = new MediaService({ store, feedOf: (id) => feedConfigs.get(id), credentialFor: (id) => heldCredentials.get(id), clock: options.clock ?? systemClock, policy: () => policy.citizenMedia });
  return { profileDir, config, policy, store, bus, scheduler, feedAdmin, credentials, actions, annotations, indicators, signals, calendar, forecasts, bookmarks, search, alarms, media, training, simulatedFeeds, demoRunning, version, kind, clock: options.clock ?? systemClock };
}

/**
 * The composition root, second half: the contract's handlers, one factory per domain (as in
 * common/methods/), each given only the services it uses. A workstation of a hub wraps the result
 * with withHubReplication (hub/workstation.ts) right after, where VigieCore composes it.
 */
export function composeApi(s: Services, sync: SyncLink | null): Handlers {
  const { store, policy } = s;
  const { audit } = store;
  const packDir = cityPackDir(s.config, s.profileDir);
  return {
    ...sessionHandlers({
      about: () => ({ workstation: store.log.workstationId, profile: s.profileDir, demo: s.demoRunning, version: s.version, readOnly: policy.readOnly, training: s.training ? { day: s.training.info.day, scenario: s.training.info.scenario?.name ?? null } : null, kind: s.kind }),
      profileDir: s.profileDir,
    }),
    ...incidentHandlers({ incidents: store.incidents }),
    ...feedHandlers({ scheduler: s.scheduler, feedAdmin: s.feedAdmin, credentials: s.credentials, quarantine: store.quarantine, purges: (limit) => purgeHistory(store, limit), policy }),
    ...pictureHandlers({ units: store.units, cameras: store.cameras, alerts: store.alerts, db: store.db, simulatedFeeds: s.simulatedFeeds }),
    ...settingsHandlers({ policy, audit }),
    ...replayHandlers({ store, bookmarks: s.bookmarks, simulatedFeeds: s.simulatedFeeds, clashDistanceM: s.config.calendar.clashDistanceM }),
    ...forecastHandlers({ forecasts: s.forecasts }),
    ...basemapHandlers({ profileDir: s.profileDir, policy }),
    ...actionHandlers({ actions: s.actions }),
    ...dispatchHandlers({ actions: s.actions, assignments: store.assignments, units: store.units, router: () => (packDir ? packRouter(packDir) : null),
      replay: { unitsAt: (at) => unitsAt(store, at, s.simulatedFeeds), activeAt: (at) => activeAssignmentsAt(store, at) },
    }),
    ...auditHandlers({ audit, incidents: store.incidents, policy, sync }),
    ...annotationHandlers({ annotations: store.annotations, service: s.annotations }),
    ...cameraHandlers({ cameras: store.cameras, audit, simulatedFeeds: s.simulatedFeeds }),
    ...searchHandlers({ search: s.search }),
    ...historyHandlers({
      store,
      kind: () => s.kind,
      imports: () => historyImports(store.db),
      extent: () => dataExtent(store.db),
      packBounds: () => loadPackAt(packDir).bounds,
    }),
    ...indicatorHandlers({ indicators: s.indicators, audit }),
    // Alarms still open at handover: the alarm queue's alarms nobody has closed (acknowledged ones included).
    ...handoverHandlers({ handovers: new HandoverRepository(store.db), alarms: { count: () => s.alarms.list().length, from: 'alarm-queue' }, audit, clock: s.clock }),
    ...signalHandlers({ signals: s.signals, audit }),
    ...calendarHandlers({ calendar: s.calendar }),
    ...trainingHandlers({ training: s.training, audit, profileDir: s.profileDir }),
    ...syncHandlers({ sync }),
    ...alarmHandlers({ alarms: s.alarms }),
    ...mediaHandlers({ media: s.media }),
  };
}
