import { DAY_MS, type ForecastModel, type ForecastRequest } from '../model';

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

/** Baseline: every past event counts the same. The protocol's first reference. */
export const countAll: ForecastModel = {
  name: 'count-all',
  summary: 'baseline: all-history count per cell',
  forecast: (req) => ({ scores: countSince(req, -Infinity), params: {} }),
};

export const RECENT_WINDOW_DAYS = 28;

/** Baseline: only the last four weeks count. The protocol's second reference. */
export const countRecent: ForecastModel = {
  name: 'count-recent',
  summary: `baseline: count per cell over the last ${RECENT_WINDOW_DAYS} days`,
  forecast: (req) => ({ scores: countSince(req, req.at - RECENT_WINDOW_DAYS * DAY_MS), params: { windowDays: RECENT_WINDOW_DAYS } }),
};
