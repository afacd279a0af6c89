import { PartCollector } from '../explain';
import { DAY_MS, type Forecast, type ForecastModel, type ForecastRequest } from '../model';

/** Events per cell since `since`, scaled to the horizon: a constant rate over the counted span. */
export function countSince({ history, at, horizonMs }: ForecastRequest, since: number): Float64Array {
  const { events, cellOf } = history;
  const scores = new Float64Array(history.cellCount);
  for (let i = 0; i < events.length; i++) if (events.t[i]! >= since) scores[cellOf[i]!]! += 1;
  const first = events.length > 0 ? Math.max(since, events.t[0]!) : at;
  const span = Math.max(at - first, horizonMs);
  for (let c = 0; c < scores.length; c++) scores[c]! *= horizonMs / span;
  return scores;
}

/** Each event since `since` adds horizon / span to its own cell: the count, split by category and age. */
function countForecast(req: ForecastRequest, since: number, params: Record<string, number | string>): Forecast {
  const scores = countSince(req, since);
  const { history, at, horizonMs } = req;
  return {
    scores, params,
    explain(cell) {
      const { events, cellOf } = history;
      const first = events.length > 0 ? Math.max(since, events.t[0]!) : at;
      const each = horizonMs / Math.max(at - first, horizonMs);
      const parts = new PartCollector(history, at);
      for (let i = 0; i < events.length; i++) if (cellOf[i] === cell && events.t[i]! >= since) parts.add('count', i, true, each);
      return parts.result([{ name: 'perEvent', value: each }, ...Object.entries(params).map(([name, value]) => ({ name, value }))]);
    },
  };
}

/** Baseline: every past event counts the same. The protocol's first reference. */
export const countAll: ForecastModel = {
  name: 'count-all',
  version: '1',
  summary: 'baseline: all-history count per cell',
  forecast: (req) => countForecast(req, -Infinity, {}),
};

export const RECENT_WINDOW_DAYS = 28;

/** Baseline: only the last four weeks count. The protocol's second reference. */
export const countRecent: ForecastModel = {
  name: 'count-recent',
  version: '1',
  summary: `baseline: count per cell over the last ${RECENT_WINDOW_DAYS} days`,
  forecast: (req) => countForecast(req, req.at - RECENT_WINDOW_DAYS * DAY_MS, { windowDays: RECENT_WINDOW_DAYS }),
};
