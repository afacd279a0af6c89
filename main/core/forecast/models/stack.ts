import type { History } from '../history';
import { DAY_MS, type ForecastModel, type ForecastRequest } from '../model';
import { countSince, RECENT_WINDOW_DAYS } from './baselines';
import { smoothCells } from './kde';

/**
 * Experimental (not the default): a category-weighted mixture. Each cell's expected count is a
 * non-negative combination of per-category all-history counts, the recent count, and a smoothed
 * all-history count; the weights are fitted by non-negative least squares on inner windows (each
 * fitted on the history before an inner origin, against the counts of the window after it).
 * Categories that predict where the next events fall get weight; the others fade.
 */
const MAX_GROUPS = 8;
const INNER_WINDOWS = 6;

function groupsOf(history: History): Int32Array {
  const { events } = history;
  const counts = new Map<number, number>();
  for (let i = 0; i < events.length; i++) counts.set(events.category[i]!, (counts.get(events.category[i]!) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_GROUPS).map(([c]) => c);
  const map = new Int32Array(events.categories.length).fill(top.length);
  top.forEach((c, i) => (map[c] = i));
  return map;
}

/** Feature columns per cell of `req.history`: per-group counts, recent count, smoothed count. */
function features(req: ForecastRequest, groupOf: Int32Array, groups: number): Float64Array[] {
  const { history, at, horizonMs } = req;
  const { events, cellOf } = history;
  const cols = Array.from({ length: groups + 1 }, () => new Float64Array(history.cellCount));
  for (let i = 0; i < events.length; i++) cols[groupOf[events.category[i]!]!]![cellOf[i]!]! += 1;
  const span = Math.max(at - (events.length ? events.t[0]! : at), horizonMs);
  for (const col of cols) for (let c = 0; c < col.length; c++) col[c]! *= horizonMs / span;
  const all = countSince(req, -Infinity);
  return [...cols, countSince(req, at - RECENT_WINDOW_DAYS * DAY_MS), smoothCells(history, all, 1)];
}

/** Non-negative least squares on the normal equations by projected coordinate descent. */
function nnls(gram: Float64Array[], rhs: Float64Array): Float64Array {
  const p = rhs.length, beta = new Float64Array(p);
  for (let sweep = 0; sweep < 500; sweep++) {
    let moved = 0;
    for (let j = 0; j < p; j++) {
      if (gram[j]![j]! <= 0) continue;
      let g = rhs[j]!;
      for (let k = 0; k < p; k++) g -= gram[j]![k]! * beta[k]!;
      const next = Math.max(0, beta[j]! + g / gram[j]![j]!);
      moved = Math.max(moved, Math.abs(next - beta[j]!));
      beta[j] = next;
    }
    if (moved < 1e-10) break;
  }
  return beta;
}

export const stack: ForecastModel = {
  name: 'stack',
  version: '0-experimental',
  summary: 'experimental: per-category counts mixed by weights fitted (NNLS) on inner windows',
  forecast(req) {
    const { history, at, horizonMs } = req;
    const groupOf = groupsOf(history);
    const groups = Math.max(...groupOf);
    const first = history.events.length ? history.events.t[0]! : at;
    const p = groups + 3;
    const gram = Array.from({ length: p }, () => new Float64Array(p)), rhs = new Float64Array(p);
    let windows = 0;
    for (let k = 0; k < INNER_WINDOWS; k++) {
      const origin = at - (k + 1) * horizonMs;
      if (origin - first < horizonMs) break;
      const inner = history.before(origin);
      const x = features({ history: inner, at: origin, horizonMs }, groupOf, groups);
      const y = new Float64Array(inner.cellCount);
      const { t } = history.events;
      for (let i = inner.events.length; i < history.events.length && t[i]! < origin + horizonMs; i++) {
        const c = history.cellOf[i]!, j = inner.indexOf(history.cellX[c]!, history.cellY[c]!);
        if (j >= 0) y[j]! += 1;
      }
      for (let c = 0; c < inner.cellCount; c++) for (let a = 0; a < p; a++) {
        const xa = x[a]![c]!;
        if (xa === 0) continue;
        rhs[a]! += xa * y[c]!;
        for (let b = 0; b < p; b++) gram[a]![b]! += xa * x[b]![c]!;
      }
      windows++;
    }
    const beta = windows > 0 ? nnls(gram, rhs) : Float64Array.from({ length: p }, (_, j) => (j < groups + 1 ? 1 : 0));
    const x = features(req, groupOf, groups);
    const scores = new Float64Array(history.cellCount);
    for (let a = 0; a < p; a++) for (let c = 0; c < scores.length; c++) scores[c]! += beta[a]! * x[a]![c]!;
    // All weights zero (no signal): fall back to the all-history count.
    if (beta.every((b) => b === 0)) scores.set(countSince(req, -Infinity));
    return { scores, params: { innerWindows: windows, weights: Array.from(beta, (b) => b.toFixed(3)).join(' ') } };
  },
};
