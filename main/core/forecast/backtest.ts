import { countBefore, type EventTable } from './events';
import { makeGrid, protocolOrigin, type Grid } from './grid';
import { locateEvents, makeHistory } from './history';
import { CoverageTally } from './intervals';
import { pool, windowHits, type Accuracy, type WindowHits } from './metrics';
import type { ForecastModel } from './model';

export interface BacktestOptions {
  start: number;
  end: number;
  horizonMs: number;
  cellM: number;
  models: readonly ForecastModel[];
  /** Defaults to the evaluation script's origin (minimum lon/lat of all events, floored to 0.1°). */
  origin?: { lon0: number; lat0: number };
  /** Also score two hindsight references that see the future (for headroom, not forecasts). */
  hindsight?: boolean;
  /** Called after each window, for progress on long runs. */
  onWindow?: (done: number, total: number) => void;
}

export interface ModelResult {
  model: string;
  summary: string;
  accuracy: Accuracy;
  /** Mean seconds per forecast call. */
  secondsPerCall: number;
  /** Parameters of the last window's forecast. */
  lastParams: Record<string, number | string>;
  /**
   * For models that give each cell a distribution: the share of study-area cells whose observed
   * count fell inside their 80 % and 95 % intervals, over all windows (see intervals.ts).
   */
  coverage?: ReturnType<CoverageTally['result']>;
}

export interface BacktestResult {
  grid: Grid;
  areaCells: number;
  windows: number;
  events: number;
  results: ModelResult[];
  hindsight: ModelResult[];
}

/**
 * The rolling-origin protocol of shared/tools/forecast-eval.mjs, in process: at each window start
 * every model sees only the events before it; the study area is every cell with an event before
 * `start`; hits are counted in the top 1% and 5% of that area.
 */
export function runBacktest(events: EventTable, options: BacktestOptions): BacktestResult {
  const { start, end, horizonMs } = options;
  if (!(end > start)) throw new Error('the backtest end must be after its start');
  if (!(horizonMs > 0)) throw new Error('the horizon must be a positive duration');
  if (countBefore(events, start) === 0) throw new Error('no event before the backtest start: there is no history to forecast from; choose a later --start');
  const grid = makeGrid({ ...(options.origin ?? protocolOrigin(events.lon, events.lat)), cellM: options.cellM });
  const located = locateEvents(events, grid);
  const area = makeHistory(events, grid, start, located);
  const windowsTotal = Math.ceil((end - start) / horizonMs);
  const hits = options.models.map((): WindowHits[] => []);
  const seconds = options.models.map(() => 0);
  const params = options.models.map((): Record<string, number | string> => ({}));
  const coverage = options.models.map(() => new CoverageTally());
  const hindsight: WindowHits[][] = [[], []];
  let windows = 0;
  for (let t = start; t < end; t += horizonMs) {
    const history = makeHistory(events, grid, t, located);
    const inArea = Uint8Array.from({ length: history.cellCount }, (_, c) => (area.indexOf(history.cellX[c]!, history.cellY[c]!) >= 0 ? 1 : 0));
    const future = new Float64Array(history.cellCount), others = new Float64Array(history.cellCount);
    let total = 0;
    for (let i = 0; i < events.length; i++) {
      const inWindow = events.t[i]! >= t && events.t[i]! < t + horizonMs;
      if (inWindow) total++;
      const c = history.indexOf(located.x[i]!, located.y[i]!);
      if (c >= 0) (inWindow ? future : others)[c]! += 1;
    }
    const ties = history.tieBreaks();
    const isArea = (c: number) => inArea[c] === 1;
    options.models.forEach((model, m) => {
      const began = performance.now();
      const forecast = model.forecast({ history, at: t, horizonMs });
      seconds[m]! += (performance.now() - began) / 1000;
      params[m] = forecast.params;
      hits[m]!.push(windowHits(forecast.scores, ties, isArea, future, total));
      const u = forecast.uncertainty;
      if (u) for (let c = 0; c < history.cellCount; c++) if (inArea[c]) coverage[m]!.add(future[c]!, u.scale * forecast.scores[c]!, u.dispersion[c]!);
    });
    if (options.hindsight) {
      hindsight[0]!.push(windowHits(others, ties, isArea, future, total));
      hindsight[1]!.push(windowHits(future, ties, isArea, future, total));
    }
    windows++;
    options.onWindow?.(windows, windowsTotal);
  }
  const results = options.models.map((model, m): ModelResult => ({
    model: model.name, summary: model.summary, accuracy: pool(hits[m]!), secondsPerCall: seconds[m]! / windows, lastParams: params[m]!,
    ...(coverage[m]!.cells > 0 ? { coverage: coverage[m]!.result() } : {}),
  }));
  const hindsightResults: ModelResult[] = !options.hindsight ? [] : [
    { model: 'hindsight: all other events', summary: 'count of every event outside the window, future included (not a forecast)', accuracy: pool(hindsight[0]!), secondsPerCall: 0, lastParams: {} },
    { model: 'hindsight: the window itself', summary: 'the window\'s own counts: the ceiling (not a forecast)', accuracy: pool(hindsight[1]!), secondsPerCall: 0, lastParams: {} },
  ];
  return { grid, areaCells: area.cellCount, windows, events: events.length, results, hindsight: hindsightResults };
}
