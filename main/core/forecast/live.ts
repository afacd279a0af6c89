import type { AreaForecast, ForecastCell } from '../../../common/methods/forecasts';
import type { Incident } from '../../../common/domain/incident';
import { toEventTable } from './events';
import { makeGrid } from './grid';
import { makeHistory } from './history';
import { DEFAULT_MODEL, findModel } from './registry';

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

/**
 * Area forecasts from the incidents in the cache, with the registry's default model. Only time,
 * place and category reach the model; the result is grid cells, never incidents or people.
 */
export function forecastFromIncidents(incidents: readonly Pick<Incident, 'occurredAt' | 'lon' | 'lat' | 'category'>[], at: number, horizonHours: number, modelName = DEFAULT_MODEL): AreaForecast {
  const past = incidents.filter((i) => i.occurredAt < at);
  const empty: AreaForecast = { model: modelName, computedAt: at, horizonHours, cellM: LIVE_CELL_M, basedOn: past.length, cells: [] };
  if (past.length === 0) return empty;
  const events = toEventTable(past.map((i) => ({ t: i.occurredAt, lon: i.lon, lat: i.lat, category: i.category })));
  // Origin snapped to 0.1° below the data, as the evaluation protocol does, so cells are stable between runs.
  let lon0 = Infinity, lat0 = Infinity;
  for (let k = 0; k < events.length; k++) { lon0 = Math.min(lon0, events.lon[k]!); lat0 = Math.min(lat0, events.lat[k]!); }
  const grid = makeGrid({ lon0: Math.floor(lon0 * 10) / 10, lat0: Math.floor(lat0 * 10) / 10, cellM: LIVE_CELL_M });
  const history = makeHistory(events, grid, at);
  const { scores } = findModel(modelName).forecast({ history, at, horizonMs: horizonHours * 3_600_000 });
  const order = Array.from(scores.keys()).filter((c) => scores[c]! > 0).sort((a, b) => scores[b]! - scores[a]!).slice(0, LIVE_MAX_CELLS);
  const kx = (111320 * Math.cos((grid.lat0 * Math.PI) / 180)) / LIVE_CELL_M;
  const ky = 110540 / LIVE_CELL_M;
  const cells: ForecastCell[] = order.map((c, i) => {
    const x = history.cellX[c]!, y = history.cellY[c]!, expected = scores[c]!;
    return {
      west: grid.lon0 + x / kx, east: grid.lon0 + (x + 1) / kx,
      south: grid.lat0 + y / ky, north: grid.lat0 + (y + 1) / ky,
      expected, low: poissonQuantile(expected, 0.05), high: poissonQuantile(expected, 0.95), rank: i + 1,
    };
  });
  return { ...empty, cells };
}

/**
 * Keeps one forecast per horizon and recomputes it when it is older than FORECAST_REFRESH_MS. Each
 * fresh forecast is handed to `publish` (the event log, so replay shows the forecast the supervisor
 * saw at the time), unless its cells are those already published for that horizon.
 */
export class LiveForecasts {
  private readonly cache = new Map<number, AreaForecast>();
  private readonly published = new Map<number, string>();

  constructor(
    private readonly incidents: () => Incident[],
    private readonly refreshMs = FORECAST_REFRESH_MS,
    private readonly publish?: (forecast: AreaForecast) => void,
  ) {}

  latest(horizonHours: number, now = Date.now()): AreaForecast {
    const cached = this.cache.get(horizonHours);
    if (cached && now - cached.computedAt < this.refreshMs) return cached;
    const fresh = forecastFromIncidents(this.incidents(), now, horizonHours);
    this.cache.set(horizonHours, fresh);
    const key = JSON.stringify([fresh.model, fresh.cells]);
    if (this.publish && this.published.get(horizonHours) !== key) {
      this.publish(fresh);
      this.published.set(horizonHours, key);
    }
    return fresh;
  }

  static fromStore(store: { incidents: { list(o: { limit: number }): Incident[] } }, publish?: (forecast: AreaForecast) => void): LiveForecasts {
    return new LiveForecasts(() => store.incidents.list({ limit: HISTORY_LIMIT }), FORECAST_REFRESH_MS, publish);
  }
}
