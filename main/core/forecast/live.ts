import type { AreaForecast, CellExplanation, ForecastCell } from '../../../common/methods/forecasts';
import type { Incident } from '../../../common/domain/incident';
import { toEventTable, type EventTable } from './events';
import { makeGrid, type Grid } from './grid';
import { makeHistory } from './history';
import { interval } from './intervals';
import type { ForecastModel } from './model';
import { countAll, countRecent } from './models/baselines';
import { DEFAULT_MODEL, findModel } from './registry';
import { M_PER_DEG_LAT, mPerDegLon } from '../../../common/geo/local';

/** How often the live forecast is recomputed at most: incidents trickle in, a forecast ages slowly. */
export const FORECAST_REFRESH_MS = 5 * 60_000;
/** 250 m cells: a few streets, coarse enough that no cell points at a person or a door. */
export const LIVE_CELL_M = 250;
/** The map shows the cells the model ranks highest; the long tail of near-zero cells is noise. */
export const LIVE_MAX_CELLS = 400;
const HISTORY_LIMIT = 50_000;

/** The q-quantile of a Poisson(λ) distribution, by summing its mass (λ is small per cell). */
export function poissonQuantile(lambda: number, q: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 200) return Math.max(0, lambda + 1.6449 * Math.sqrt(lambda) * (q < 0.5 ? -1 : 1));
  let p = Math.exp(-lambda);
  let cumulative = p;
  let k = 0;
  while (cumulative < q && k < 10_000) {
    k += 1;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

type LiveIncident = Pick<Incident, 'occurredAt' | 'lon' | 'lat' | 'category'>;

/** One computation of the live forecast, kept so that the model card and "why is this cell high?" read the same fit. */
export interface LiveRun {
  forecast: AreaForecast;
  model: ForecastModel;
  params: Record<string, number | string>;
  trainingFrom: number | null;
  trainingTo: number | null;
  categories: { name: string; incidents: number }[];
  /** The explanation of the cell holding (lon, lat), or null when the model scores no cell there. */
  explain(lon: number, lat: number): Omit<CellExplanation, 'computedAt' | 'horizonHours'> | null;
}

/** The origin of the live grid: 0.1 degree below the data, as the evaluation protocol does, so cells are stable between runs. */
export function liveGrid(events: EventTable): Grid {
  let lon0 = Infinity, lat0 = Infinity;
  for (let k = 0; k < events.length; k++) { lon0 = Math.min(lon0, events.lon[k]!); lat0 = Math.min(lat0, events.lat[k]!); }
  return makeGrid({ lon0: Math.floor(lon0 * 10) / 10, lat0: Math.floor(lat0 * 10) / 10, cellM: LIVE_CELL_M });
}

/** Only time, place and category reach a model: the table carries nothing else. */
export function liveEvents(incidents: readonly LiveIncident[], before: number): EventTable {
  return toEventTable(incidents.filter((i) => i.occurredAt < before).map((i) => ({ t: i.occurredAt, lon: i.lon, lat: i.lat, category: i.category })));
}

/**
 * Area forecasts from the incidents in the cache, with the registry's default model. Only time,
 * place and category reach the model; the result is grid cells, never incidents or people.
 */
export function computeLive(incidents: readonly LiveIncident[], at: number, horizonHours: number, modelName = DEFAULT_MODEL): LiveRun {
  const model = findModel(modelName);
  const events = liveEvents(incidents, at);
  const empty: AreaForecast = { model: modelName, computedAt: at, horizonHours, cellM: LIVE_CELL_M, basedOn: events.length, cells: [] };
  if (events.length === 0) return { forecast: empty, model, params: {}, trainingFrom: null, trainingTo: null, categories: [], explain: () => null };
  const grid = liveGrid(events);
  const history = makeHistory(events, grid, at);
  const horizonMs = horizonHours * 3_600_000;
  const request = { history, at, horizonMs };
  const result = model.forecast(request);
  const { scores } = result;
  const order = Array.from(scores.keys()).filter((c) => scores[c]! > 0).sort((a, b) => scores[b]! - scores[a]!);
  const rankOf = new Map(order.map((c, i) => [c, i + 1]));
  const kx = mPerDegLon(grid.lat0) / LIVE_CELL_M;
  const ky = M_PER_DEG_LAT / LIVE_CELL_M;
  // The model's fitted level and per-cell dispersion when it has them (auto); else Poisson at its score.
  const u = result.uncertainty;
  const cellOf = (c: number) => {
    const x = history.cellX[c]!, y = history.cellY[c]!, expected = (u?.scale ?? 1) * scores[c]!;
    const [low, high] = u ? interval(expected, u.dispersion[c]!, 0.9) : [poissonQuantile(expected, 0.05), poissonQuantile(expected, 0.95)];
    return {
      west: grid.lon0 + x / kx, east: grid.lon0 + (x + 1) / kx,
      south: grid.lat0 + y / ky, north: grid.lat0 + (y + 1) / ky,
      expected, low, high,
    };
  };
  const cells: ForecastCell[] = order.slice(0, LIVE_MAX_CELLS).map((c, i) => ({ ...cellOf(c), rank: i + 1 }));
  const perCategory = new Map<string, number>();
  for (let i = 0; i < events.length; i++) {
    const name = events.categories[events.category[i]!]!;
    perCategory.set(name, (perCategory.get(name) ?? 0) + 1);
  }
  let baselines: { model: string; scores: Float64Array }[] | null = null;
  return {
    forecast: { ...empty, cells },
    model,
    params: result.params,
    trainingFrom: events.t[0]!,
    trainingTo: events.t[events.length - 1]!,
    categories: [...perCategory].map(([name, n]) => ({ name, incidents: n })).sort((a, b) => b.incidents - a.incidents),
    explain(lon, lat) {
      const c = history.indexOf(grid.cellX(lon), grid.cellY(lat));
      if (c < 0 || !result.explain) return null;
      baselines ??= [countAll, countRecent].map((m) => ({ model: m.name, scores: m.forecast(request).scores }));
      const e = result.explain(c);
      return {
        model: model.name, modelVersion: model.version,
        cell: { ...cellOf(c), rank: rankOf.get(c) ?? null },
        value: e.value, parts: e.parts, weights: e.weights,
        baselines: baselines.map((b) => ({ model: b.model, value: b.scores[c]! })),
      };
    },
  };
}

/** The forecast alone (see computeLive). */
export function forecastFromIncidents(incidents: readonly LiveIncident[], at: number, horizonHours: number, modelName = DEFAULT_MODEL): AreaForecast {
  return computeLive(incidents, at, horizonHours, modelName).forecast;
}

/**
 * Keeps one forecast per horizon and recomputes it when it is older than FORECAST_REFRESH_MS. Each
 * fresh forecast is handed to `publish` (the event log, so replay shows the forecast the supervisor
 * saw at the time), unless its cells are those already published for that horizon.
 */
export class LiveForecasts {
  private readonly cache = new Map<number, LiveRun>();
  private readonly published = new Map<number, string>();

  constructor(
    private readonly incidents: () => Incident[],
    private readonly refreshMs = FORECAST_REFRESH_MS,
    readonly modelName = DEFAULT_MODEL,
    private readonly publish?: (forecast: AreaForecast) => void,
  ) {}

  latest(horizonHours: number, now = Date.now()): AreaForecast {
    return this.run(horizonHours, now).forecast;
  }

  /** The current run for a horizon (recomputed when older than the refresh period). */
  run(horizonHours: number, now = Date.now()): LiveRun {
    const cached = this.cache.get(horizonHours);
    if (cached && now - cached.forecast.computedAt < this.refreshMs) return cached;
    const fresh = computeLive(this.incidents(), now, horizonHours, this.modelName);
    this.cache.set(horizonHours, fresh);
    const key = JSON.stringify([fresh.forecast.model, fresh.forecast.cells]);
    if (this.publish && this.published.get(horizonHours) !== key) {
      this.publish(fresh.forecast);
      this.published.set(horizonHours, key);
    }
    return fresh;
  }

  /** The cached incidents the live model reads (the newest HISTORY_LIMIT). */
  history(): Incident[] {
    return this.incidents();
  }

  static fromStore(store: { incidents: { list(o: { limit: number }): Incident[] } }, modelName = DEFAULT_MODEL, publish?: (forecast: AreaForecast) => void): LiveForecasts {
    return new LiveForecasts(() => store.incidents.list({ limit: HISTORY_LIMIT }), FORECAST_REFRESH_MS, modelName, publish);
  }
}
