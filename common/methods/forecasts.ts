import { z } from 'zod';
import { DESK_ROLES } from '../domain/roles';
import { EpochMs } from '../domain/incident';
import { method } from './method';

/** Horizons the supervisor can choose, in hours. */
export const FORECAST_HORIZONS_H = [8, 24, 168] as const;

/**
 * One grid cell of an area forecast: a square of `cellM` metres, never a person or an address.
 * `expected` is the model's expected number of incidents in the horizon; `low`..`high` its 90 %
 * Poisson interval, which is how the map shows uncertainty.
 */
export const ForecastCell = z.object({
  /** South-west and north-east corners, degrees. */
  west: z.number(),
  south: z.number(),
  east: z.number(),
  north: z.number(),
  expected: z.number().nonnegative(),
  low: z.number().nonnegative(),
  high: z.number().nonnegative(),
  /** 1 = the cell the model ranks first. */
  rank: z.number().int().positive(),
});
export type ForecastCell = z.infer<typeof ForecastCell>;

export const AreaForecast = z.object({
  model: z.string(),
  /** When it was computed, and the time from which the horizon counts. */
  computedAt: EpochMs,
  horizonHours: z.number().positive(),
  cellM: z.number().positive(),
  /** How many incidents of the cache the model learnt from. */
  basedOn: z.number().int().nonnegative(),
  cells: z.array(ForecastCell),
});
export type AreaForecast = z.infer<typeof AreaForecast>;

/** Area-level risk forecasts (cells only). */
export const forecastMethods = {
  'forecasts.latest': method({
    params: z.object({ horizonHours: z.number().positive().max(24 * 31).default(24) }).prefault({}),
    result: AreaForecast,
    roles: DESK_ROLES,
    summary: 'The latest area forecast for a horizon: expected incidents per grid cell, with an interval',
  }),
} as const;
