import type { History } from '../history';
import { discreteGaussian, gaussianBlur, gaussianTaps } from '../kernel';
import { PartCollector } from '../explain';
import { DAY_MS, type ForecastModel, type ForecastRequest } from '../model';

/**
 * Self-exciting point process (ETAS / Hawkes, after Mohler et al. 2011), fitted per category:
 *   λ(cell, t) = μ(cell) + Σ_{t_j < t} θ ω e^{-ω (t - t_j)} G_σ(cell - cell_j)
 * μ is a smoothed density of the events the fit attributes to the background; the sum is the
 * near-repeat part: each event raises the rate nearby for a while. θ (expected offspring per event),
 * ω (decay), σ (spread) and μ are fitted by expectation-maximisation (stochastic declustering):
 * the E-step gives each event a probability of being background or triggered by each earlier
 * event near it; the M-step re-estimates the parameters from those probabilities.
 */
export interface HawkesParams {
  theta: number;
  omegaPerDay: number;
  sigmaCells: number;
  backgroundBandwidthCells: number;
}

export interface HawkesFit extends HawkesParams {
  /** Events of the group attributed to the background, per history cell. */
  background: Float64Array;
  /** Share of the group's events attributed to triggering. */
  triggeredShare: number;
  events: number;
  iterations: number;
}

export interface HawkesOptions {
  /** Triggering is looked for up to this lag and distance: the near-repeat literature's scales. */
  maxLagDays?: number;
  maxRadiusM?: number;
  iterations?: number;
  /** Categories with fewer events are fitted together as one group. */
  minCategoryEvents?: number;
}

const DEFAULTS: Required<HawkesOptions> = { maxLagDays: 21, maxRadiusM: 400, iterations: 25, minCategoryEvents: 300 };
const BACKGROUND_BANDWIDTHS = [0.5, 1, 2];
// Share of the background spread uniformly over the history's cells, so that an event far from all
// others keeps a finite background density and the likelihood stays finite.
const FLOOR_SHARE = 0.01;

/** Indices (into history.events) of each fitted group: one per category with enough events, plus the rest. */
export function categoryGroups(history: History, minEvents: number): { label: string; events: Int32Array }[] {
  const { events } = history;
  const counts = new Map<number, number>();
  for (let i = 0; i < events.length; i++) counts.set(events.category[i]!, (counts.get(events.category[i]!) ?? 0) + 1);
  const own = new Set([...counts].filter(([, n]) => n >= minEvents).map(([c]) => c));
  const lists = new Map<number, number[]>();
  for (let i = 0; i < events.length; i++) {
    const g = own.has(events.category[i]!) ? events.category[i]! : -1;
    let l = lists.get(g);
    if (!l) { l = []; lists.set(g, l); }
    l.push(i);
  }
  return [...lists].map(([g, l]) => ({ label: g < 0 ? 'other categories' : events.categories[g] || '(no category)', events: Int32Array.from(l) }));
}

interface Pairs {
  start: Int32Array; parent: Int32Array; lagDays: Float64Array; d2: Int32Array;
}

/** Candidate (child, parent) pairs: parent strictly earlier, within the lag and the radius. */
function findPairs(history: History, group: Int32Array, maxLagMs: number, radius: number): Pairs {
  const { t } = history.events;
  // The group's events per cell, in time order (group is sorted by time).
  const perCell = new Int32Array(history.cellCount + 1);
  for (const i of group) perCell[history.cellOf[i]! + 1]! += 1;
  for (let c = 0; c < history.cellCount; c++) perCell[c + 1]! += perCell[c]!;
  const fill = perCell.slice(0, history.cellCount), inCell = new Int32Array(group.length);
  for (let k = 0; k < group.length; k++) inCell[fill[history.cellOf[group[k]!]!]!++] = k;
  const nb = history.neighbours(radius);
  const start = new Int32Array(group.length + 1);
  const parent: number[] = [], lag: number[] = [], d2: number[] = [];
  for (let k = 0; k < group.length; k++) {
    const ti = t[group[k]!]!, c = history.cellOf[group[k]!]!;
    for (let m = nb.start[c]!; m < nb.start[c + 1]!; m++) {
      const cell = nb.idx[m]!;
      // Walk back from the newest event of the neighbouring cell that is older than the child.
      let lo = perCell[cell]!, hi = perCell[cell + 1]!;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (t[group[inCell[mid]!]!]! < ti) lo = mid + 1; else hi = mid; }
      for (let q = lo - 1; q >= perCell[cell]!; q--) {
        const p = inCell[q]!, dt = ti - t[group[p]!]!;
        if (dt > maxLagMs) break;
        parent.push(p); lag.push(dt / DAY_MS); d2.push(nb.d2[m]!);
      }
    }
    start[k + 1] = parent.length;
  }
  return { start, parent: Int32Array.from(parent), lagDays: Float64Array.from(lag), d2: Int32Array.from(d2) };
}

/** Fits one group by EM. `at` closes the observation period. */
export function fitHawkes(history: History, group: Int32Array, at: number, options: HawkesOptions = {}): HawkesFit {
  const o = { ...DEFAULTS, ...options };
  const radius = Math.max(1, Math.ceil(o.maxRadiusM / history.grid.cellM));
  const maxLagMs = o.maxLagDays * DAY_MS;
  const n = group.length;
  const { t } = history.events;
  const spanDays = n === 0 ? 1 : Math.max((at - t[group[0]!]!) / DAY_MS, 1);
  const pairs = findPairs(history, group, maxLagMs, radius);
  const cellOf = Int32Array.from(group, (i) => history.cellOf[i]!);
  // Offspring an event can have inside the observed period and the lag cut, as a function of ω.
  const remainingDays = Float64Array.from(group, (i) => Math.min((at - t[i]!) / DAY_MS, o.maxLagDays));

  let theta = 0.1, omega = 1 / 7, sigma = 1, bgBandwidth = 1;
  const pBackground = new Float64Array(n).fill(1);
  const pPair = new Float64Array(pairs.parent.length);
  let iterations = 0;
  for (; iterations < o.iterations; iterations++) {
    const background = new Float64Array(history.cellCount);
    for (let k = 0; k < n; k++) background[cellOf[k]!]! += pBackground[k]!;
    if (iterations % 5 === 0) bgBandwidth = bestBackgroundBandwidth(history, background, pBackground, cellOf);
    const mu = looBackground(history, background, pBackground, cellOf, bgBandwidth, spanDays);
    const g = discreteGaussian(sigma, radius);
    // E-step.
    for (let k = 0; k < n; k++) {
      let total = mu[k]!;
      for (let m = pairs.start[k]!; m < pairs.start[k + 1]!; m++) {
        const s = theta * omega * Math.exp(-omega * pairs.lagDays[m]!) * g[pairs.d2[m]!]!;
        pPair[m] = s; total += s;
      }
      pBackground[k] = mu[k]! / total;
      for (let m = pairs.start[k]!; m < pairs.start[k + 1]!; m++) pPair[m]! /= total;
    }
    // M-step.
    let triggered = 0, lagSum = 0, d2Sum = 0;
    for (let m = 0; m < pPair.length; m++) { triggered += pPair[m]!; lagSum += pPair[m]! * pairs.lagDays[m]!; d2Sum += pPair[m]! * pairs.d2[m]!; }
    const previous = theta;
    omega = triggered > 0 ? clamp(triggered / lagSum, 1 / o.maxLagDays, 24) : omega;
    let exposure = 0;
    for (let k = 0; k < n; k++) exposure += 1 - Math.exp(-omega * remainingDays[k]!);
    theta = exposure > 0 ? clamp(triggered / exposure, 0, 0.95) : 0;
    sigma = triggered > 0 ? clamp(Math.sqrt(d2Sum / (2 * triggered)), 0.25, radius) : sigma;
    if (Math.abs(theta - previous) < 1e-4 && iterations > 3) { iterations++; break; }
  }
  const background = new Float64Array(history.cellCount);
  let bgTotal = 0;
  for (let k = 0; k < n; k++) { background[cellOf[k]!]! += pBackground[k]!; bgTotal += pBackground[k]!; }
  return {
    theta, omegaPerDay: omega, sigmaCells: sigma, backgroundBandwidthCells: bgBandwidth,
    background, triggeredShare: n === 0 ? 0 : 1 - bgTotal / n, events: n, iterations,
  };
}

/** Background rate at each event, leaving the event itself out (else it would explain itself). */
function looBackground(history: History, background: Float64Array, pBackground: Float64Array, cellOf: Int32Array, bandwidth: number, spanDays: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * bandwidth));
  const smooth = gaussianBlur(history.cellX, history.cellY, background, bandwidth, radius);
  const centre = gaussianTaps(bandwidth, radius)[radius]! ** 2;
  let total = 0;
  for (const v of background) total += v;
  const floor = (FLOOR_SHARE * total) / history.cellCount;
  return Float64Array.from(cellOf, (c, k) => (Math.max(smooth[c]! - centre * pBackground[k]!, 0) * (1 - FLOOR_SHARE) + floor) / spanDays);
}

/** The background bandwidth with the best leave-one-out likelihood of the background events. */
function bestBackgroundBandwidth(history: History, background: Float64Array, pBackground: Float64Array, cellOf: Int32Array): number {
  let best = BACKGROUND_BANDWIDTHS[0]!, bestLogLik = -Infinity;
  for (const b of BACKGROUND_BANDWIDTHS) {
    const mu = looBackground(history, background, pBackground, cellOf, b, 1);
    let ll = 0;
    for (let k = 0; k < mu.length; k++) ll += pBackground[k]! * Math.log(mu[k]!);
    if (ll > bestLogLik) { bestLogLik = ll; best = b; }
  }
  return best;
}

/**
 * What hawkesScores and hawkesExplain share: the options, the horizon in days, and the expected
 * background events of a cell in the horizon (the smoothed long-term rate, with a small floor).
 */
function backgroundOf(history: History, group: Int32Array, fit: HawkesFit, at: number, horizonMs: number, options: HawkesOptions) {
  const o = { ...DEFAULTS, ...options };
  const { t } = history.events;
  const spanDays = group.length === 0 ? 1 : Math.max((at - t[group[0]!]!) / DAY_MS, 1);
  const horizonDays = horizonMs / DAY_MS;
  const bRadius = Math.max(1, Math.ceil(3 * fit.backgroundBandwidthCells));
  const smooth = gaussianBlur(history.cellX, history.cellY, fit.background, fit.backgroundBandwidthCells, bRadius);
  let bgTotal = 0;
  for (const v of fit.background) bgTotal += v;
  const floor = (FLOOR_SHARE * bgTotal) / history.cellCount;
  return { o, t, horizonDays, background: (cell: number) => ((smooth[cell]! * (1 - FLOOR_SHARE) + floor) / spanDays) * horizonDays };
}

/** Expected events of the group in [at, at + horizon) per history cell. */
export function hawkesScores(history: History, group: Int32Array, fit: HawkesFit, at: number, horizonMs: number, options: HawkesOptions = {}): Float64Array {
  const { o, t, horizonDays, background } = backgroundOf(history, group, fit, at, horizonMs, options);
  const scores = Float64Array.from(fit.background, (_v, c) => background(c));
  // Near-repeat part: offspring expected inside the horizon from each recent event.
  const radius = Math.max(1, Math.ceil(o.maxRadiusM / history.grid.cellM));
  const g = discreteGaussian(fit.sigmaCells, radius), nb = history.neighbours(radius);
  for (let k = group.length - 1; k >= 0; k--) {
    const ageDays = (at - t[group[k]!]!) / DAY_MS;
    if (ageDays > o.maxLagDays) break;
    const w = fit.theta * (Math.exp(-fit.omegaPerDay * ageDays) - Math.exp(-fit.omegaPerDay * (ageDays + horizonDays)));
    const c = history.cellOf[group[k]!]!;
    for (let m = nb.start[c]!; m < nb.start[c + 1]!; m++) scores[nb.idx[m]!]! += w * g[nb.d2[m]!]!;
  }
  return scores;
}

/**
 * One group's share of one cell's score, added to `parts`: the background (long-term rate of the
 * place) as one part, and each recent event's expected offspring in the cell as a triggering part.
 * The same arithmetic as hawkesScores, so the parts add up to its value for the cell.
 */
export function hawkesExplain(parts: PartCollector, history: History, group: Int32Array, label: string, fit: HawkesFit, cell: number, at: number, horizonMs: number, options: HawkesOptions = {}): void {
  const { o, t, horizonDays, background } = backgroundOf(history, group, fit, at, horizonMs, options);
  let inCell = 0;
  for (const i of group) if (history.cellOf[i] === cell) inCell++;
  parts.background(label, inCell, background(cell));
  const radius = Math.max(1, Math.ceil(o.maxRadiusM / history.grid.cellM));
  const g = discreteGaussian(fit.sigmaCells, radius);
  const x = history.cellX[cell]!, y = history.cellY[cell]!;
  for (let k = group.length - 1; k >= 0; k--) {
    const ageDays = (at - t[group[k]!]!) / DAY_MS;
    if (ageDays > o.maxLagDays) break;
    const c = history.cellOf[group[k]!]!, dx = history.cellX[c]! - x, dy = history.cellY[c]! - y, d2 = dx * dx + dy * dy;
    if (d2 > radius * radius) continue;
    const w = fit.theta * (Math.exp(-fit.omegaPerDay * ageDays) - Math.exp(-fit.omegaPerDay * (ageDays + horizonDays)));
    if (w * g[d2]! > 0) parts.add('triggering', group[k]!, c === cell, w * g[d2]!);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export const hawkes: ForecastModel = {
  name: 'hawkes',
  version: '1',
  summary: 'self-exciting point process (background + near-repeat), fitted per category by EM',
  forecast({ history, at, horizonMs }: ForecastRequest) {
    const scores = new Float64Array(history.cellCount);
    const params: Record<string, number | string> = {};
    const fits: { label: string; events: Int32Array; fit: HawkesFit }[] = [];
    for (const { label, events } of categoryGroups(history, DEFAULTS.minCategoryEvents)) {
      const fit = fitHawkes(history, events, at);
      fits.push({ label, events, fit });
      const s = hawkesScores(history, events, fit, at, horizonMs);
      for (let c = 0; c < scores.length; c++) scores[c]! += s[c]!;
      params[label] = `θ=${fit.theta.toFixed(3)} 1/ω=${(1 / fit.omegaPerDay).toFixed(1)}d σ=${(fit.sigmaCells * history.grid.cellM).toFixed(0)}m ` +
        `bg=${(fit.backgroundBandwidthCells * history.grid.cellM).toFixed(0)}m triggered=${(100 * fit.triggeredShare).toFixed(1)}% n=${fit.events}`;
    }
    return {
      scores, params,
      explain(cell) {
        const parts = new PartCollector(history, at);
        for (const { label, events, fit } of fits) hawkesExplain(parts, history, events, label, fit, cell, at, horizonMs);
        const weights = fits.flatMap(({ label, fit }) => [
          { name: `${label}: theta`, value: fit.theta },
          { name: `${label}: decayDays`, value: 1 / fit.omegaPerDay },
          { name: `${label}: sigmaM`, value: fit.sigmaCells * history.grid.cellM },
          { name: `${label}: backgroundBandwidthM`, value: fit.backgroundBandwidthCells * history.grid.cellM },
        ]);
        return parts.result(weights);
      },
    };
  },
};
