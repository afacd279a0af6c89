import type { Indicator, IndicatorAlert, IndicatorReading, IndicatorWindow, PlannedContext } from '../../../common/domain/indicator';
import type { PlannedEvent, PlannedKind, PlannedPlace } from '../../../common/domain/plannedEvent';
import { insidePolygon } from '../../../common/geo/distance';
import { RpcError } from '../../../common/rpc';
import type { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import type { Store } from '../store';
import { districtOf, type District } from './districts';
import type { SignalService } from '../signals/signals';
import { log } from '../log';
import { earliestIncidentTime, indicatorAck, indicatorAlert, indicatorAlerts, indicatorAlertSince, incidentPlaces, savedIndicators } from '../db/indicators';

const logger = log('indicators');

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** How many past weeks make the usual level: two months follow the season without keeping last year's summer. */
const BASELINE_WEEKS = 8;

/** Start of the window ending at `now` (local time: "today" is the control room's day). */
export function windowStart(window: IndicatorWindow, now: number): number {
  if (window === 'hour') return now - HOUR;
  if (window === '7d') return now - WEEK;
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** `factor` scales the threshold during a planned crowd event (1 otherwise). */
function isAbove(ind: Indicator, count: number, usual: number | null, factor = 1): boolean {
  const t = ind.threshold;
  if (t.kind === 'absolute') return count >= t.count * factor;
  // Without history there is no usual level to multiply: the minimum count alone decides.
  return count >= t.minCount * factor && (usual === null || count >= t.factor * factor * usual);
}

/** Kinds of planned event that bring a crowd, and so more incidents: these raise a threshold by the indicator's factor. */
export const CROWD_KINDS: readonly PlannedKind[] = ['public_event', 'market', 'demonstration', 'match', 'other'];

/** Whether a planned event's place touches a district: its point inside, or a vertex of either inside the other. */
export function placeInDistrict(place: PlannedPlace, d: District): boolean {
  const inD = ([lon, lat]: readonly [number, number]) => d.rings.some((r) => insidePolygon(lon, lat, r));
  if (place.type === 'Point') return inD(place.coordinates);
  const ring = place.coordinates[0]!;
  return ring.some(inD) || d.rings.some((r) => r.some(([lon, lat]) => insidePolygon(lon, lat, ring)));
}

/** What the calendar must offer the indicators: the planned events overlapping a time range. */
export interface PlannedSource {
  list(from: number, to: number): PlannedEvent[];
}

/**
 * District indicators: counts of incidents per district and category over sliding windows, against
 * the usual level for the same weekday and hour (mean of the same window in past weeks of the
 * cache). Crossing a threshold raises one `indicator.alert` event per indicator, district and
 * window span; a supervisor acknowledges it. Definitions come from config.json until a supervisor
 * edits them, then from the latest `indicators.config` event (so edits replay and are journaled).
 */
export class IndicatorService {
  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    readonly districts: () => readonly District[],
    private readonly deployed: readonly Indicator[],
    private readonly signals?: SignalService,
    private readonly calendar?: PlannedSource,
  ) {}

  list(): Indicator[] {
    return savedIndicators(this.store.db) ?? [...this.deployed];
  }

  save(ctx: CallContext, indicators: Indicator[]): Indicator[] {
    const ids = new Set<string>();
    for (const i of indicators) {
      if (ids.has(i.id)) throw new RpcError('bad_request', `Indicator id "${i.id}" is used twice; give each indicator its own id.`);
      ids.add(i.id);
    }
    const now = Date.now();
    this.tx(() => {
      this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: 'indicators.config', entity: 'indicators', payload: { by: ctx.user, role: ctx.role, indicators } });
      this.store.audit.append({ t: now, user: ctx.user, role: ctx.role, kind: 'action', action: 'indicators.save', target: 'indicators', origin: ctx.origin });
    });
    return indicators;
  }

  /** Every district with a count for each indicator (districts at zero left out), at `now`. */
  readings(now = Date.now()): IndicatorReading[] {
    const districts = this.districts();
    if (districts.length === 0) return [];
    const earliest = earliestIncidentTime(this.store.db);
    const out: IndicatorReading[] = [];
    for (const ind of this.list()) {
      const from = windowStart(ind.window, now);
      const counts = this.countByDistrict(districts, ind.category, from, now);
      const past = new Map<string, number>();
      let weeks = 0;
      for (let k = 1; k <= BASELINE_WEEKS; k++) {
        const shift = k * WEEK;
        if (earliest === null || from - shift < earliest) break;
        weeks++;
        for (const [name, n] of this.countByDistrict(districts, ind.category, from - shift, now - shift)) past.set(name, (past.get(name) ?? 0) + n);
      }
      // A cancelled event brings no crowd: it does not raise thresholds.
      const planned = (this.calendar?.list(from, now) ?? []).filter((e) => !e.cancelled);
      for (const [district, count] of counts) {
        const usual = weeks > 0 ? (past.get(district) ?? 0) / weeks : null;
        const d = districts.find((x) => x.name === district);
        const here = d ? planned.filter((e) => placeInDistrict(e.place, d)) : [];
        const context: PlannedContext[] = here.map((e) => ({ id: e.id, title: e.title, kind: e.kind, ...(e.attendance !== undefined ? { attendance: e.attendance } : {}) }));
        const thresholdFactor = here.some((e) => CROWD_KINDS.includes(e.kind)) ? (ind.plannedEventFactor ?? 1) : 1;
        out.push({ indicatorId: ind.id, district, count, usual, above: isAbove(ind, count, usual, thresholdFactor), planned: context, thresholdFactor });
      }
    }
    return out;
  }

  /** Raises the alerts due at `now`; returns the new ones (already pushed). */
  evaluate(now = Date.now()): IndicatorAlert[] {
    const indicators = new Map(this.list().map((i) => [i.id, i]));
    const raised: IndicatorAlert[] = [];
    this.tx(() => {
      for (const r of this.readings(now)) {
        const ind = indicators.get(r.indicatorId);
        if (!r.above || !ind) continue;
        // One alert per indicator and district per window span: the count staying high is the same news.
        const since = windowStart(ind.window, now);
        if (indicatorAlertSince(this.store.db, entityOf(ind.id, r.district), since)) continue;
        const payload = {
          indicatorId: ind.id, label: ind.label, district: r.district, window: ind.window, count: r.count, usual: r.usual, threshold: ind.threshold, sheet: ind.sheet,
          ...(r.planned.length > 0 ? { planned: r.planned, thresholdFactor: r.thresholdFactor } : {}),
        };
        const { seq } = this.store.log.append({ t: now, source: 'indicators', kind: 'indicator.alert', entity: entityOf(ind.id, r.district), payload });
        raised.push({ seq, t: now, ...payload });
      }
    });
    for (const alert of raised) this.bus.emit('indicator.alert', { alert });
    return raised;
  }

  alerts(limit: number): IndicatorAlert[] {
    return indicatorAlerts(this.store.db, limit).map((a) => this.withAck(a));
  }

  acknowledge(ctx: CallContext, seq: number): IndicatorAlert {
    const stored = indicatorAlert(this.store.db, seq);
    if (!stored) throw new RpcError('not_found', `No indicator alert ${seq}.`);
    const alert = this.withAck(stored);
    if (alert.acknowledgedBy) throw new RpcError('bad_request', `Alert ${seq} was already acknowledged by ${alert.acknowledgedBy}.`);
    const now = Date.now();
    this.tx(() => {
      this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: 'indicator.ack', entity: `indicator-alert:${seq}`, payload: { by: ctx.user, role: ctx.role, seq } });
      this.store.audit.append({ t: now, user: ctx.user, role: ctx.role, kind: 'action', action: 'indicator.acknowledge', target: `${alert.indicatorId}@${alert.district}`, origin: ctx.origin });
    });
    const acked = { ...alert, acknowledgedBy: ctx.user, acknowledgedAt: now };
    this.bus.emit('indicator.alert', { alert: acked });
    return acked;
  }

  /** Follows incidents as they arrive (debounced) and the clock (a quiet minute can still end a window). */
  watch(): () => void {
    let timer: NodeJS.Timeout | null = null;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        this.safeEvaluate();
      }, 1000);
      timer.unref();
    };
    const unsubscribe = this.bus.subscribe((event) => {
      if (event === 'incident.changed' || event === 'incidents.changed') soon();
    });
    const tick = setInterval(() => this.safeEvaluate(), 60_000);
    tick.unref();
    return () => {
      unsubscribe();
      clearInterval(tick);
      if (timer) clearTimeout(timer);
    };
  }

  private safeEvaluate(): void {
    try {
      this.evaluate();
    } catch (error) {
      logger.error({ reason: (error as Error).message }, 'evaluation failed');
    }
  }

  private withAck(alert: IndicatorAlert): IndicatorAlert {
    const ack = indicatorAck(this.store.db, alert.seq);
    return ack ? { ...alert, acknowledgedBy: ack.by, acknowledgedAt: ack.t } : alert;
  }

  private countByDistrict(districts: readonly District[], category: string, from: number, to: number): Map<string, number> {
    // "signal:<kind>": an aggregated signal summed per district (only buckets at or above k: what is hidden stays hidden).
    if (category.startsWith('signal:')) {
      const kind = category.slice('signal:'.length);
      const names = new Set(districts.map((d) => d.name));
      const sums = new Map<string, number>();
      for (const b of this.signals?.readings(from, to) ?? []) if (b.kind === kind && names.has(b.area)) sums.set(b.area, (sums.get(b.area) ?? 0) + b.count);
      return sums;
    }
    const counts = new Map<string, number>();
    for (const { lon, lat } of incidentPlaces(this.store.db, category, from, to)) {
      const d = districtOf(districts, lon, lat);
      if (d) counts.set(d.name, (counts.get(d.name) ?? 0) + 1);
    }
    return counts;
  }

  private tx(body: () => void): void {
    this.store.transaction(body)();
  }
}

function entityOf(indicatorId: string, district: string): string {
  return `indicator:${indicatorId}@${district}`;
}
