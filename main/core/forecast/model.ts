import type { CellExplanation } from './explain';
import type { History } from './history';
import type { Uncertainty } from './intervals';

export interface ForecastRequest {
  /** Only events strictly before `at`: a model never sees the period it forecasts. */
  history: History;
  at: number;
  horizonMs: number;
}

export interface Forecast {
  /**
   * Expected number of events in [at, at + horizon) for each cell of the history (aligned to
   * `history.cellX/cellY`). Only the ranking is judged, but keeping the unit makes scores comparable.
   */
  scores: Float64Array;
  /** What the model fitted or chose, in plain numbers, for the model card and the backtest report. */
  params: Record<string, number | string>;
  /**
   * The score of one cell (an index into the history's cells) split into additive parts that sum
   * to `scores[cell]`: what "why is this cell high?" shows. Computed from the same fit as the scores.
   */
  explain?(cell: number): CellExplanation;
  /** Each cell's count as a fitted distribution (level and dispersion), for intervals; absent: Poisson at the score. */
  uncertainty?: Uncertainty;
}

/** One forecasting method. Area-level only: it scores cells, never people. */
export interface ForecastModel {
  readonly name: string;
  /** Bumped whenever the method changes what it computes, so a model card names what produced a forecast. */
  readonly version: string;
  readonly summary: string;
  forecast(request: ForecastRequest): Forecast;
}

export const DAY_MS = 864e5;
