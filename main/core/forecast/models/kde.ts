import type { History } from '../history';
import { PartCollector, type CellExplanation } from '../explain';
import { gaussianBlur, gaussianTaps } from '../kernel';
import { DAY_MS, type ForecastModel, type ForecastRequest } from '../model';
import { selectByInnerBacktest, type Candidate } from '../selection';

export interface KdeParams {
  /** Weight halves every `halfLifeMs` of age; Infinity keeps all history at full weight. */
  halfLifeMs: number;
  /** Gaussian bandwidth in cells; 0 keeps each event in its own cell. */
  bandwidthCells: number;
}

/** Sum over past events of 2^(-age/halfLife), per cell, scaled to expected events in the horizon. */
export function decayedCounts({ history, at, horizonMs }: ForecastRequest, halfLifeMs: number): Float64Array {
  const { events, cellOf } = history;
  const out = new Float64Array(history.cellCount);
  const rate = Number.isFinite(halfLifeMs) ? Math.LN2 / halfLifeMs : 0;
  for (let i = 0; i < events.length; i++) out[cellOf[i]!]! += Math.exp(-rate * (at - events.t[i]!));
  // Effective span of the weights, so that a constant rate comes back as rate x horizon.
  const span = events.length === 0 ? 1 : at - events.t[0]!;
  const effective = rate === 0 ? span : (1 - Math.exp(-rate * span)) / rate;
  const scale = horizonMs / Math.max(effective, horizonMs);
  for (let c = 0; c < out.length; c++) out[c]! *= scale;
  return out;
}

/** Spreads each cell's value over its neighbours with a Gaussian of `bandwidthCells`, cut at three bandwidths. */
export function smoothCells(history: History, values: Float64Array, bandwidthCells: number): Float64Array {
  if (bandwidthCells <= 0) return values.slice();
  return gaussianBlur(history.cellX, history.cellY, values, bandwidthCells, Math.max(1, Math.ceil(3 * bandwidthCells)));
}

export function kdeScores(request: ForecastRequest, params: KdeParams): Float64Array {
  return smoothCells(request.history, decayedCounts(request, params.halfLifeMs), params.bandwidthCells);
}

/**
 * One cell's KDE score split by the events that reach it: each past event adds its decay weight
 * 2^(-age/halfLife), times the horizon scale, times the separable Gaussian weight of its offset
 * (the same taps as smoothCells), so the parts add up to kdeScores(request, params)[cell].
 */
export function kdeExplain(request: ForecastRequest, params: KdeParams, cell: number): CellExplanation {
  const { history, at, horizonMs } = request;
  const { events, cellOf, cellX, cellY } = history;
  const rate = Number.isFinite(params.halfLifeMs) ? Math.LN2 / params.halfLifeMs : 0;
  const span = events.length === 0 ? 1 : at - events.t[0]!;
  const effective = rate === 0 ? span : (1 - Math.exp(-rate * span)) / rate;
  const scale = horizonMs / Math.max(effective, horizonMs);
  const b = params.bandwidthCells;
  const r = b > 0 ? Math.max(1, Math.ceil(3 * b)) : 0;
  const taps = b > 0 ? gaussianTaps(b, r) : Float64Array.of(1);
  const x = cellX[cell]!, y = cellY[cell]!;
  const parts = new PartCollector(history, at);
  for (let i = 0; i < events.length; i++) {
    const c = cellOf[i]!, dx = cellX[c]! - x, dy = cellY[c]! - y;
    if (Math.abs(dx) > r || Math.abs(dy) > r) continue;
    const w = Math.exp(-rate * (at - events.t[i]!)) * scale * taps[dx + r]! * taps[dy + r]!;
    if (w > 0) parts.add('recent', i, c === cell, w);
  }
  return parts.result([
    { name: 'halfLifeDays', value: Number.isFinite(params.halfLifeMs) ? params.halfLifeMs / DAY_MS : 'none' },
    { name: 'bandwidthM', value: b * history.grid.cellM },
    { name: 'horizonScale', value: scale },
    { name: 'ownCellWeight', value: taps[r]! * taps[r]! },
  ]);
}

// The candidates span "no decay" to "a few horizons", and "own cell" to "two cells": wide enough
// to cover cities and periods we have not seen, with the choice left to the inner backtest.
const HALF_LIVES_IN_HORIZONS = [Infinity, 16, 8, 4, 2];
const BANDWIDTHS_IN_CELLS = [0, 0.5, 1, 2];

export function kdeCandidates(horizonMs: number): Candidate[] {
  // Candidates sharing a half-life share their decayed counts: computed once per inner origin.
  const memo = new WeakMap<History, Map<number, Float64Array>>();
  const counts = (req: ForecastRequest, halfLifeMs: number) => {
    let byHalfLife = memo.get(req.history);
    if (!byHalfLife) { byHalfLife = new Map(); memo.set(req.history, byHalfLife); }
    let c = byHalfLife.get(halfLifeMs);
    if (!c) { c = decayedCounts(req, halfLifeMs); byHalfLife.set(halfLifeMs, c); }
    return c;
  };
  const out: Candidate[] = [];
  for (const h of HALF_LIVES_IN_HORIZONS) for (const b of BANDWIDTHS_IN_CELLS) {
    const halfLifeMs = h * horizonMs;
    out.push({
      label: `kde half-life ${Number.isFinite(h) ? `${(halfLifeMs / DAY_MS).toFixed(0)} d` : 'none'}, bandwidth ${b} cells`,
      params: { halfLifeDays: Number.isFinite(h) ? halfLifeMs / DAY_MS : 'none', bandwidthCells: b },
      score: (req) => smoothCells(req.history, counts(req, halfLifeMs), b),
      explain: (req, cell) => kdeExplain(req, { halfLifeMs, bandwidthCells: b }, cell),
    });
  }
  return out;
}

/** Kernel density with time decay; half-life and bandwidth chosen by a rolling backtest on the history. */
export const kde: ForecastModel = {
  name: 'kde',
  version: '1',
  summary: 'kernel density with time decay, half-life and bandwidth fitted by inner rolling backtest',
  forecast(req) {
    // The first candidate (no decay, no smoothing) is the all-history count: the reference to beat.
    const selection = selectByInnerBacktest(req, kdeCandidates(req.horizonMs));
    const { chosen } = selection;
    return {
      scores: chosen.score(req),
      params: { ...chosen.params, innerOrigins: selection.origins },
      explain: (cell) => chosen.explain!(req, cell),
    };
  },
};
