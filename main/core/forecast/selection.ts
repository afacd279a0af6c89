import type { CellExplanation } from './explain';
import type { History } from './history';
import { windowHits, type WindowHits } from './metrics';
import type { ForecastRequest } from './model';

/** A fully specified forecaster the inner backtest can try. */
export interface Candidate {
  label: string;
  params: Record<string, number | string>;
  score(request: ForecastRequest): Float64Array;
  /** The candidate's score of one cell split into parts (see explain.ts). */
  explain?(request: ForecastRequest, cell: number): CellExplanation;
}

export interface Selection {
  chosen: Candidate;
  /** Each candidate's mean hit ratio to the first candidate over the inner origins (1 = as good). */
  relative: number[];
  origins: number;
  /** The reference the choice was measured against (the best of the first `references` candidates). */
  reference: Candidate;
  /** The chosen candidate's mean hit ratio to the reference (1 when the reference is chosen). */
  gain: number;
  /** The inner origins used, newest first. */
  originTimes: number[];
  /** With `keepInner`: per origin, its history, the chosen candidate's scores there and the counts that followed. */
  inner: { history: History; origin: number; scores: Float64Array; observed: Float64Array }[];
}

export interface SelectionOptions {
  /** How many inner forecast origins to try at most. */
  maxOrigins?: number;
  /** Gain over the reference needed to leave it, as a fraction (guards against chasing noise). */
  tolerance?: number;
  /**
   * How many of the first candidates are references (baselines). The reference is the best of
   * them on the inner origins; any other candidate must beat it by more than `tolerance`. Default 1.
   */
  references?: number;
  /**
   * Also require the candidate not to lose to the reference at any single area share (1 % or 5 %):
   * a gain at 1 % bought with a loss at 5 % would show a supervisor a map a count beats there.
   */
  noLossAtAnyShare?: boolean;
  /** Keep the chosen candidate's inner forecasts (for fitting its intervals without recomputing them). */
  keepInner?: boolean;
}

/**
 * Picks a candidate by replaying the protocol inside the history: forecasts made at earlier origins
 * (each seeing only what came before it) are scored on the events that followed, up to `at`. The
 * first candidate is the reference; another is chosen only if it beats it by more than `tolerance`
 * on the average of the hit ratios at 1% and 5% of the area, the quantities we are judged on.
 * Origins step back by half a horizon from `at - horizon`, and need at least one horizon of
 * history before them, so short histories get few origins and then mostly keep the reference.
 */
export function selectByInnerBacktest(request: ForecastRequest, candidates: readonly Candidate[], options: SelectionOptions = {}): Selection {
  const { history, at, horizonMs } = request;
  const maxOrigins = options.maxOrigins ?? 6, tolerance = options.tolerance ?? 0.005;
  const references = Math.min(Math.max(1, options.references ?? 1), candidates.length);
  if (candidates.length === 0) throw new Error('selectByInnerBacktest needs at least one candidate');
  const first = history.events.length > 0 ? history.events.t[0]! : at;
  const perCandidate: WindowHits[][] = candidates.map(() => []);
  let origins = 0;
  const originTimes: number[] = [];
  const kept: { history: History; origin: number; scores: Float64Array[]; observed: Float64Array }[] = [];
  for (let k = 0; k < maxOrigins; k++) {
    const origin = at - horizonMs - (k * horizonMs) / 2;
    if (origin - first < horizonMs) break;
    const inner = history.before(origin);
    const future = futureCounts(history, inner, origin, origin + horizonMs);
    const ties = inner.tieBreaks();
    const all: Float64Array[] = [];
    candidates.forEach((cand, i) => {
      const scores = cand.score({ history: inner, at: origin, horizonMs });
      if (options.keepInner) all.push(scores);
      perCandidate[i]!.push(windowHits(scores, ties, () => true, future.perCell, future.total));
    });
    if (options.keepInner) kept.push({ history: inner, origin, scores: all, observed: future.perCell });
    origins++;
    originTimes.push(origin);
  }
  // The reference is the best of the baselines on these same origins, so that a candidate is
  // chosen only when it beats every count, not just the first one.
  let refIndex = 0;
  for (let i = 1; i < references; i++) if (meanRatio(perCandidate[i]!, perCandidate[0]!) > meanRatio(perCandidate[refIndex]!, perCandidate[0]!)) refIndex = i;
  const ref = perCandidate[refIndex]!;
  const relative = perCandidate.map((wins) => meanRatio(wins, ref));
  let best = refIndex;
  const eligible = (i: number) => !options.noLossAtAnyShare || shareRatios(perCandidate[i]!, ref).every((r) => r >= 1);
  relative.forEach((r, i) => { if (r > relative[best]! && eligible(i)) best = i; });
  if (relative[best]! < 1 + tolerance) best = refIndex;
  return { chosen: candidates[best]!, relative, origins, reference: candidates[refIndex]!, gain: relative[best]!, originTimes,
    inner: kept.map((k) => ({ history: k.history, origin: k.origin, scores: k.scores[best]!, observed: k.observed })) };
}

/** Ratio of pooled hits to the reference's, averaged over the area shares; +1 keeps empty windows finite. */
function meanRatio(wins: WindowHits[], ref: WindowHits[]): number {
  const ratios = shareRatios(wins, ref);
  return ratios.length === 0 ? 1 : ratios.reduce((a, b) => a + b, 0) / ratios.length;
}

/** Ratio of pooled hits to the reference's at each area share. */
function shareRatios(wins: WindowHits[], ref: WindowHits[]): number[] {
  if (wins.length === 0) return [];
  return wins[0]!.hits.map((_, k) => {
    const h = wins.reduce((n, w) => n + w.hits[k]!, 0), r = ref.reduce((n, w) => n + w.hits[k]!, 0);
    return (h + 1) / (r + 1);
  });
}

/** Events of `full` in [from, to), counted in the cells of `inner` (the inner study area). */
export function futureCounts(full: History, inner: History, from: number, to: number): { perCell: Float64Array; total: number } {
  const perCell = new Float64Array(inner.cellCount);
  let total = 0;
  const { t } = full.events;
  for (let i = inner.events.length; i < full.events.length && t[i]! < to; i++) {
    if (t[i]! < from) continue;
    total++;
    const c = full.cellOf[i]!;
    const j = inner.indexOf(full.cellX[c]!, full.cellY[c]!);
    if (j >= 0) perCell[j]! += 1;
  }
  return { perCell, total };
}
