import type { History } from './history';

/**
 * Each cell's count in the horizon as a negative binomial with mean `scale * score` and dispersion
 * `dispersion[cell]` (variance = mean + dispersion * mean²; 0 is Poisson). The scale corrects the
 * level of the scores (a count of all history is right about where, not always about how many);
 * the dispersion says how much more a cell's count swings than a Poisson count would.
 */
export interface Uncertainty {
  scale: number;
  dispersion: Float64Array;
  /** How the dispersion was set, for the model card. */
  params: Record<string, number | string>;
}

/** Log of the NB probability of `y` at mean `mu` and dispersion `phi` (Poisson when phi is 0). */
export function nbLogPmf(y: number, mu: number, phi: number): number {
  if (mu <= 0) return y === 0 ? 0 : -Infinity;
  if (phi <= 1e-9) {
    let lf = 0;
    for (let j = 2; j <= y; j++) lf += Math.log(j);
    return y * Math.log(mu) - mu - lf;
  }
  const r = 1 / phi;
  // log Γ(y + r) - log Γ(r) - log y!, summed term by term: counts per cell are small.
  let lg = 0;
  for (let j = 0; j < y; j++) lg += Math.log((r + j) / (j + 1));
  return lg + r * Math.log(r / (r + mu)) + y * Math.log(mu / (r + mu));
}

/** P(Y <= y) for y = 0..until, by the pmf recursion. */
function cdfTable(mu: number, phi: number, until: number): Float64Array {
  const out = new Float64Array(until + 1);
  let p = Math.exp(nbLogPmf(0, mu, phi)), cum = p;
  out[0] = cum;
  const r = phi > 1e-9 ? 1 / phi : Infinity;
  for (let k = 0; k < until; k++) {
    // pmf(k+1)/pmf(k): μ/(k+1) for Poisson, (k+r)/(k+1) · μ/(r+μ) for NB.
    p *= Number.isFinite(r) ? ((k + r) / (k + 1)) * (mu / (r + mu)) : mu / (k + 1);
    cum += p;
    out[k + 1] = Math.min(1, cum);
  }
  return out;
}

/** The smallest count whose CDF reaches q. */
export function nbQuantile(mu: number, phi: number, q: number): number {
  if (mu <= 0) return 0;
  let p = Math.exp(nbLogPmf(0, mu, phi)), cum = p, k = 0;
  const r = phi > 1e-9 ? 1 / phi : Infinity;
  while (cum < q && k < 100_000) {
    p *= Number.isFinite(r) ? ((k + r) / (k + 1)) * (mu / (r + mu)) : mu / (k + 1);
    k++;
    cum += p;
    // Far in the tail the terms underflow; the normal approximation is then close enough.
    if (p === 0 && cum < q) return Math.ceil(mu + 3 * Math.sqrt(mu + phi * mu * mu));
  }
  return k;
}

/** The central `level` interval of a cell's count, whole counts (covers at least `level`). */
export function interval(mu: number, phi: number, level: number): [number, number] {
  const a = (1 - level) / 2;
  return [nbQuantile(mu, phi, a), nbQuantile(mu, phi, 1 - a)];
}

/**
 * How much of the central `level` interval the observed count `y` falls in, on the probability
 * scale: the share of [F(y-1), F(y)] inside [a, 1-a]. Whole-count intervals of a discrete count
 * cover more than their level (a cell expecting 0.05 has [0, 0] as its 80 % interval, which holds
 * 95 % of the time), so coverage is judged this way (the randomised PIT of Czado, Gneiting & Held
 * 2009): averaged over cells it equals the level when the distribution is right, whatever the means.
 */
export function coverageShare(y: number, mu: number, phi: number, level: number): number {
  const a = (1 - level) / 2;
  const cdf = cdfTable(mu, phi, y);
  const lo = y === 0 ? 0 : cdf[y - 1]!, hi = cdf[y]!;
  if (hi - lo <= 1e-15) return lo >= a && hi <= 1 - a ? 1 : 0;
  return Math.max(0, Math.min(hi, 1 - a) - Math.max(lo, a)) / (hi - lo);
}

/** Coverage at 80 % and 95 %, accumulated over cells and windows. */
export const COVERAGE_LEVELS = [0.8, 0.95] as const;

export class CoverageTally {
  /** Randomised (probability-scale) coverage sums, per level. */
  readonly pit = COVERAGE_LEVELS.map(() => 0);
  /** Whole-count intervals: the cell's observed count inside [low, high], per level. */
  readonly whole = COVERAGE_LEVELS.map(() => 0);
  cells = 0;

  add(y: number, mu: number, phi: number): void {
    COVERAGE_LEVELS.forEach((level, k) => {
      this.pit[k]! += coverageShare(y, mu, phi, level);
      const [lo, hi] = interval(mu, phi, level);
      if (y >= lo && y <= hi) this.whole[k]! += 1;
    });
    this.cells++;
  }

  result(): { levels: number[]; observed: number[]; wholeCount: number[]; cells: number } {
    const n = Math.max(1, this.cells);
    return { levels: [...COVERAGE_LEVELS], observed: this.pit.map((s) => s / n), wholeCount: this.whole.map((s) => s / n), cells: this.cells };
  }
}

/** Events needed before a cell's own swings outweigh the city-wide dispersion. */
const PRIOR_EVENTS = 10;
/** Past windows of the horizon's length a cell's swings are measured over. */
const MAX_PAST_WINDOWS = 12;

/**
 * Each cell's own dispersion, from its counts in the last windows of the horizon's length (a cell
 * whose weekly count swings from 0 to 30 is less certain than one with 15 every week), shrunk to
 * the city-wide moment estimate in proportion to the events the cell has shown.
 */
export function cellDispersion(history: History, at: number, horizonMs: number): { dispersion: Float64Array; pooled: number; windows: number } {
  const { events, cellOf } = history;
  const n = history.cellCount;
  const first = events.length ? events.t[0]! : at;
  const windows = Math.min(MAX_PAST_WINDOWS, Math.floor((at - first) / horizonMs));
  const dispersion = new Float64Array(n);
  if (windows < 3) return { dispersion, pooled: 0, windows };
  const counts = new Float64Array(n * windows);
  const from = at - windows * horizonMs;
  for (let i = events.length - 1; i >= 0 && events.t[i]! >= from; i--) {
    const w = Math.min(windows - 1, Math.floor((at - events.t[i]!) / horizonMs));
    counts[cellOf[i]! * windows + w]! += 1;
  }
  const mean = new Float64Array(n), excess = new Float64Array(n);
  let excessSum = 0, meanSq = 0;
  for (let c = 0; c < n; c++) {
    let s = 0, s2 = 0;
    for (let w = 0; w < windows; w++) { const v = counts[c * windows + w]!; s += v; s2 += v * v; }
    const m = s / windows, v = (s2 - windows * m * m) / (windows - 1);
    mean[c] = m; excess[c] = v - m;
    excessSum += v - m; meanSq += m * m;
  }
  const pooled = meanSq > 0 ? Math.max(0, excessSum / meanSq) : 0;
  for (let c = 0; c < n; c++) {
    const m = mean[c]!, own = m > 0 ? Math.max(0, excess[c]! / (m * m)) : pooled;
    const evidence = m * windows;
    dispersion[c] = (evidence * own + PRIOR_EVENTS * pooled) / (evidence + PRIOR_EVENTS);
  }
  return { dispersion, pooled, windows };
}

/** One inner window: the candidate's scores at the window's origin, the cells' own dispersion then, and what happened. */
export interface InnerWindow {
  scores: Float64Array;
  dispersion: Float64Array;
  observed: Float64Array;
}

const MULTIPLIERS = [0, 0.25, 0.5, 1, 1.5, 2, 3];
const FLOORS = [0, 0.05, 0.15, 0.4, 1];

/**
 * Fits the level and the dispersion on inner windows (each forecast from the history before it,
 * judged on the window after it): the level is the ratio of observed to forecast totals; the
 * dispersion is `a * own + b` (own = the cell's shrunk dispersion), a and b chosen by the
 * likelihood of the observed counts. Without inner windows: the scores as they are, Poisson.
 */
export function fitUncertainty(inner: readonly InnerWindow[], dispersionNow: Float64Array): Uncertainty {
  let observed = 0, expected = 0;
  for (const w of inner) for (let c = 0; c < w.scores.length; c++) { observed += w.observed[c]!; expected += w.scores[c]!; }
  if (inner.length === 0 || expected <= 0) return { scale: 1, dispersion: new Float64Array(dispersionNow.length), params: { intervalLevel: 1, dispersionOwnWeight: 0, dispersionFloor: 0 } };
  const scale = observed > 0 ? observed / expected : 1;
  let best = { a: 0, b: 0, ll: -Infinity };
  for (const a of MULTIPLIERS) for (const b of FLOORS) {
    let ll = 0;
    for (const w of inner) for (let c = 0; c < w.scores.length; c++) {
      const mu = scale * w.scores[c]!;
      if (mu <= 0 && w.observed[c] === 0) continue;
      ll += nbLogPmf(w.observed[c]!, Math.max(mu, 1e-9), a * w.dispersion[c]! + b);
    }
    if (ll > best.ll) best = { a, b, ll };
  }
  const dispersion = Float64Array.from(dispersionNow, (d) => best.a * d + best.b);
  return { scale, dispersion, params: { intervalLevel: Number(scale.toFixed(3)), dispersionOwnWeight: best.a, dispersionFloor: best.b } };
}
