import type { FeedStatus } from '../../../common/domain/feed';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { IncidentStatus } from '../../../common/domain/incident';
import type { Place } from '../city/builtinMarseille';
import { seededRandom } from '../../../common/random';
import { storeAndPublish, type FeedContext, type FeedRunner } from './scheduler';
import { diskFullReason, isDiskFull } from './diskFull';
import { log } from '../log';
import { M_PER_DEG_LAT, mPerDegLon } from '../../../common/geo/local';

const logger = log('feeds');

export const DEMO_FEED_ID = 'demo';

interface Kind {
  category: string;
  weight: number;
  priorities: [number, number, number, number];
  titles: string[];
}

/** Rough mix of a city control room's day: many traffic and public-order calls, few fires. */
const KINDS: Kind[] = [
  { category: 'traffic_accident', weight: 14, priorities: [0.1, 0.35, 0.45, 0.1], titles: ['Accident matériel', 'Collision véhicule / deux-roues', 'Piéton renversé'] },
  { category: 'traffic_offence', weight: 10, priorities: [0, 0.05, 0.35, 0.6], titles: ['Stationnement gênant', 'Circulation en sens interdit', 'Rodéo urbain signalé'] },
  { category: 'vehicle_removal', weight: 6, priorities: [0, 0, 0.2, 0.8], titles: ['Enlèvement de véhicule demandé', 'Véhicule ventouse'] },
  { category: 'public_order', weight: 12, priorities: [0.05, 0.3, 0.5, 0.15], titles: ['Rixe sur la voie publique', 'Attroupement', 'Individu agressif'] },
  { category: 'noise', weight: 9, priorities: [0, 0, 0.3, 0.7], titles: ['Tapage nocturne', 'Musique amplifiée', 'Nuisances sonores'] },
  { category: 'theft', weight: 11, priorities: [0, 0.15, 0.55, 0.3], titles: ['Vol à l\'arraché', 'Vol à la tire', 'Vol de deux-roues'] },
  { category: 'burglary', weight: 5, priorities: [0, 0.3, 0.5, 0.2], titles: ['Cambriolage en cours', 'Effraction de commerce'] },
  { category: 'vandalism', weight: 7, priorities: [0, 0.05, 0.4, 0.55], titles: ['Dégradation de mobilier urbain', 'Tags', 'Vitrine brisée'] },
  { category: 'assault', weight: 6, priorities: [0.35, 0.45, 0.2, 0], titles: ['Agression', 'Violences sur personne'] },
  { category: 'fire', weight: 3, priorities: [0.5, 0.4, 0.1, 0], titles: ['Feu de poubelles', 'Feu de véhicule', 'Départ de feu'] },
  { category: 'medical', weight: 6, priorities: [0.4, 0.4, 0.2, 0], titles: ['Personne au sol', 'Malaise sur la voie publique'] },
  { category: 'suspicious_package', weight: 2, priorities: [0.3, 0.6, 0.1, 0], titles: ['Colis suspect', 'Bagage abandonné'] },
  { category: 'missing_person', weight: 1, priorities: [0.3, 0.5, 0.2, 0], titles: ['Disparition inquiétante'] },
];
const TOTAL_WEIGHT = KINDS.reduce((s, k) => s + k.weight, 0);
const NEXT: Partial<Record<IncidentStatus, IncidentStatus>> = { new: 'acknowledged', acknowledged: 'dispatched', dispatched: 'on_scene', on_scene: 'closed' };


export interface DemoOptions {
  places: readonly Place[];
  /** Mean time between new incidents. */
  meanIntervalMs?: number;
  /** How many past incidents to create on first start, so the map is not empty. */
  backfill?: number;
  seed?: number;
}

interface Open {
  record: Extract<FeedRecord, { kind: 'incident' }>;
}

interface SimUnit {
  unitId: string;
  callsign: string;
  unitType: 'vehicle' | 'person';
  lon: number;
  lat: number;
  target: { lon: number; lat: number };
  /** Metres per second when moving. */
  speed: number;
  status: 'available' | 'en_route' | 'on_scene';
  waitTicks: number;
}

const UNIT_CALLSIGNS: [string, 'vehicle' | 'person', number][] = [
  ['PM 01', 'vehicle', 9], ['PM 02', 'vehicle', 9], ['PM 03', 'vehicle', 9], ['PM 04', 'vehicle', 9], ['PM 05', 'vehicle', 9],
  ['PM 06', 'vehicle', 9], ['PM 07', 'vehicle', 9], ['PM 08', 'vehicle', 9], ['BMX 1', 'person', 4], ['BMX 2', 'person', 4],
  ['PED 1', 'person', 1.4], ['PED 2', 'person', 1.4],
];
/** How often simulated units report their position, like a real AVL feed. */
export const DEMO_POSITION_PERIOD_MS = 2_000;

/**
 * The built-in demo feed: a steady, plausible stream of simulated Marseille incidents that move
 * through their lifecycle. Everything it creates is flagged simulated and shown as such.
 */
export class DemoFeed implements FeedRunner {
  readonly id = DEMO_FEED_ID;
  private timer: NodeJS.Timeout | null = null;
  private readonly random: () => number;
  private readonly open: Open[] = [];
  private counter = 0;
  private lastSuccessAt: number | null = null;
  private readonly units: SimUnit[] = [];
  private positionTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: FeedContext,
    private readonly options: DemoOptions,
  ) {
    this.random = seededRandom(options.seed ?? Date.now());
    if (options.places.length === 0) throw new Error('The demo feed needs at least one place.');
  }

  start(): void {
    this.resume();
    if (this.ctx.store.incidents.total() === 0) this.backfill(this.options.backfill ?? 40);
    this.publish(this.cameras(), Date.now());
    this.placeUnits();
    this.schedule();
    this.positionTimer = setInterval(() => this.moveUnits(Date.now()), DEMO_POSITION_PERIOD_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.positionTimer) clearInterval(this.positionTimer);
    this.timer = null;
    this.positionTimer = null;
  }

  /** Video-protection cameras at busy places: heading, angle of view and range as installers record them. */
  private cameras(): FeedRecord[] {
    // Their own seeded sequence: the same cameras in the same places at every start.
    const random = seededRandom(7);
    const places = this.options.places;
    return Array.from({ length: Math.min(48, places.length) }, (_, i) => {
      const place = places[Math.floor(random() * places.length)]!;
      const r = random();
      return {
        kind: 'camera' as const,
        externalId: `CAM-${String(i + 1).padStart(3, '0')}`,
        name: `${place.name}`,
        lon: Math.round((place.lon + (random() - 0.5) * 0.002) * 1e6) / 1e6,
        lat: Math.round((place.lat + (random() - 0.5) * 0.0015) * 1e6) / 1e6,
        heading: Math.floor(random() * 360),
        fieldOfView: 50 + Math.floor(random() * 50),
        range: 60 + Math.floor(random() * 90),
        status: r < 0.82 ? ('online' as const) : r < 0.9 ? ('offline' as const) : r < 0.96 ? ('fault' as const) : ('maintenance' as const),
        t: Date.now(),
      };
    });
  }

  private placeUnits(): void {
    // After a restart, units carry on from where they were, so their trails do not jump across town.
    const known = new Map(this.ctx.store.units.list().filter((u) => u.feedId === this.id).map((u) => [u.unitId, u]));
    for (const [callsign, unitType, speed] of UNIT_CALLSIGNS) {
      const from = known.get(callsign.replace(' ', '-')) ?? this.randomPlace();
      this.units.push({ unitId: callsign.replace(' ', '-'), callsign, unitType, speed, lon: from.lon, lat: from.lat, target: this.randomPlace(), status: 'available', waitTicks: 0 });
    }
    this.moveUnits(Date.now());
  }

  private randomPlace() {
    return this.options.places[Math.floor(this.random() * this.options.places.length)]!;
  }

  /** Patrols drive towards a place, stay a while, and set off again; positions go out as one batch. */
  moveUnits(now: number): void {
    const step = DEMO_POSITION_PERIOD_MS / 1000;
    const records: FeedRecord[] = this.units.map((u) => {
      let heading = 0;
      if (u.waitTicks > 0) {
        u.waitTicks--;
        if (u.waitTicks === 0) {
          u.target = this.randomPlace();
          u.status = this.random() < 0.3 ? 'en_route' : 'available';
        }
      } else {
        const dx = (u.target.lon - u.lon) * mPerDegLon(u.lat);
        const dy = (u.target.lat - u.lat) * M_PER_DEG_LAT;
        const dist = Math.hypot(dx, dy);
        heading = (Math.atan2(dx, dy) * 180) / Math.PI;
        const move = u.speed * step;
        if (dist <= move) {
          u.lon = u.target.lon;
          u.lat = u.target.lat;
          u.status = u.status === 'en_route' ? 'on_scene' : 'available';
          u.waitTicks = 5 + Math.floor(this.random() * 40);
        } else {
          u.lon += ((dx / dist) * move) / mPerDegLon(u.lat);
          u.lat += ((dy / dist) * move) / M_PER_DEG_LAT;
        }
      }
      return {
        kind: 'unit' as const,
        unitId: u.unitId,
        callsign: u.callsign,
        unitType: u.unitType,
        lon: Math.round(u.lon * 1e6) / 1e6,
        lat: Math.round(u.lat * 1e6) / 1e6,
        heading: Math.round((heading + 360) % 360) % 360,
        speed: u.waitTicks > 0 ? 0 : u.speed,
        t: now,
        status: u.status,
      };
    });
    this.publish(records, now);
  }

  status(): FeedStatus {
    const s = this.ctx.store.feedState.get(this.id);
    return {
      id: this.id,
      type: 'demo',
      label: 'Démonstration (simulé)',
      simulated: true,
      state: this.storeError ? 'failing' : this.timer ? 'ok' : 'idle',
      lastSuccessAt: this.lastSuccessAt,
      lastErrorAt: this.storeError?.at ?? null,
      lastError: this.storeError?.message ?? null,
      consecutiveErrors: this.storeError ? 1 : 0,
      nextAttemptAt: null,
      stored: s.stored,
      quarantined: s.quarantined,
      transport: 'simulated',
      paused: false,
      stale: false,
      kinds: s.kinds ? s.kinds.split(',') : [],
      lastDataAt: s.lastDataAt,
      lagMs: null,
      errorCount: s.errorCount,
      purpose: 'demonstration',
      retentionDays: null,
      ...(this.storeError ? { diskFull: true } : {}),
    };
  }

  /** One step of the simulation: maybe a new incident, maybe progress on open ones. */
  tick(now = Date.now()): void {
    const records: FeedRecord[] = [this.newIncident(now)];
    for (const item of [...this.open]) {
      if (this.random() < 0.12) records.push(this.advance(item, now));
    }
    this.publish(records, now);
  }

  private resume(): void {
    // Continue the lifecycle of what the demo left open in a previous run.
    const open = this.ctx.store.incidents.list({ statuses: ['new', 'acknowledged', 'dispatched', 'on_scene'], limit: 500 });
    for (const incident of open) {
      if (incident.feedId !== this.id) continue;
      const { id: _id, feedId: _f, simulated: _s, updatedAt: _u, seq: _q, ...fields } = incident;
      this.open.push({ record: { kind: 'incident', ...fields } });
    }
    const state = this.ctx.store.feedState.get(this.id);
    this.counter = state.stored;
  }

  private backfill(count: number): void {
    const now = Date.now();
    const records: FeedRecord[] = [];
    for (let i = 0; i < count; i++) {
      const at = now - Math.round(this.random() * 2 * 3600_000);
      const item = this.newIncident(at);
      records.push(item);
      // Older incidents are further along; the oldest are closed.
      let steps = Math.floor(((now - at) / (2 * 3600_000)) * 5 * this.random());
      let current = item;
      while (steps-- > 0 && current.status !== 'closed') current = this.advance({ record: current }, at + 60_000);
      records.push(current);
    }
    this.publish(records, now);
  }

  private schedule(): void {
    const mean = this.options.meanIntervalMs ?? 4000;
    // Exponential gaps: arrivals of a Poisson process, like real calls.
    const delay = Math.min(mean * 5, -Math.log(1 - this.random()) * mean);
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, delay);
  }

  private newIncident(at: number): Extract<FeedRecord, { kind: 'incident' }> {
    let r = this.random() * TOTAL_WEIGHT;
    const kind = KINDS.find((k) => (r -= k.weight) < 0) ?? KINDS[0]!;
    let p = this.random();
    const priority = kind.priorities.findIndex((w) => (p -= w) < 0) + 1 || 4;
    const place = this.options.places[Math.floor(this.random() * this.options.places.length)]!;
    // Within about 120 m of the place, so incidents on one street do not stack on one pixel.
    const lon = place.lon + (this.random() - 0.5) * 0.003;
    const lat = place.lat + (this.random() - 0.5) * 0.0022;
    const record = {
      kind: 'incident' as const,
      externalId: `SIM-${String(++this.counter).padStart(6, '0')}`,
      category: kind.category,
      priority,
      status: 'new' as const,
      title: kind.titles[Math.floor(this.random() * kind.titles.length)]!,
      address: `${place.name} (${place.district})`,
      lon: Math.round(lon * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      occurredAt: at,
    };
    this.open.push({ record });
    return record;
  }

  private advance(item: Open, at: number): Extract<FeedRecord, { kind: 'incident' }> {
    const next = NEXT[item.record.status] ?? 'closed';
    const record = { ...item.record, status: next, ...(next === 'closed' ? { closedAt: at } : {}) };
    const index = this.open.findIndex((o) => o.record.externalId === record.externalId);
    if (next === 'closed') {
      if (index >= 0) this.open.splice(index, 1);
    } else if (index >= 0) {
      this.open[index] = { record };
    }
    return record;
  }

  /** Why the last batch could not be stored (a full disk), shown in the status; null once one is. */
  private storeError: { at: number; message: string } | null = null;

  private publish(records: FeedRecord[], now: number): void {
    // Called from timers: a full disk must mark the feed failing, not throw out of the timer and end the process.
    try {
      storeAndPublish(this.ctx, { id: this.id, simulated: true }, { records, errors: [] }, now);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      const first = !this.storeError;
      this.storeError = { at: now, message: diskFullReason(error) };
      if (first) {
        logger.error({ feed: this.id, err: this.storeError }, this.storeError.message);
        this.ctx.bus.emit('feed.status', { feed: this.status() });
      }
      return;
    }
    if (this.storeError) {
      this.storeError = null;
      this.ctx.bus.emit('feed.status', { feed: this.status() });
    }
    this.lastSuccessAt = now;
  }
}
