import type { History } from './history';

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
}

/** One forecasting method. Area-level only: it scores cells, never people. */
export interface ForecastModel {
  readonly name: string;
  readonly summary: string;
  forecast(request: ForecastRequest): Forecast;
}

export const DAY_MS = 864e5;
