import { z } from 'zod';
import { DESK_ROLES, type Role } from '../domain/roles';
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

/**
 * One additive part of a cell's value ("why is this cell high?"): past events of one category and
 * age band, in the cell itself (ring 0) or its neighbours (ring 1), or the long-term background a
 * self-exciting model attributes to the place. Counts of events only, never an incident or a person.
 */
export const ExplanationPart = z.object({
  kind: z.enum(['recent', 'count', 'background', 'triggering']),
  category: z.string(),
  ageFromDays: z.number().nullable(),
  ageToDays: z.number().nullable(),
  ring: z.union([z.literal(0), z.literal(1)]).nullable(),
  events: z.number().nonnegative(),
  value: z.number(),
});
export type ExplanationPart = z.infer<typeof ExplanationPart>;

export const CellExplanation = z.object({
  model: z.string(),
  modelVersion: z.string(),
  computedAt: EpochMs,
  horizonHours: z.number().positive(),
  cell: ForecastCell.omit({ rank: true }).extend({ rank: z.number().int().positive().nullable() }),
  /** The model's value for the cell; `parts` add up to it. */
  value: z.number(),
  parts: z.array(ExplanationPart),
  /** The decay, bandwidth or self-excitation weights the model used, by name. */
  weights: z.array(z.object({ name: z.string(), value: z.union([z.number(), z.string()]) })),
  /** The two baselines' values for the same cell, for comparison (not part of the sum). */
  baselines: z.array(z.object({ model: z.string(), value: z.number() })),
});
export type CellExplanation = z.infer<typeof CellExplanation>;

/** Accuracy of one model in a backtest: hit rate and PAI at 1 % and 5 % of the area. */
export const CheckScore = z.object({
  model: z.string(),
  hitRate: z.array(z.number()),
  pai: z.array(z.number()),
});
export type CheckScore = z.infer<typeof CheckScore>;

/**
 * One district of the city pack in the last check, at 5 % of the area: how much of the flagged
 * area fell in it against its share of the incidents (over-flagging shows there, cf. Lum & Isaac
 * 2016), and the incidents the model and the best baseline caught in it.
 */
export const DistrictCheck = z.object({
  name: z.string(),
  incidents: z.number().int().nonnegative(),
  incidentShare: z.number(),
  flaggedShare: z.number(),
  modelHits: z.number(),
  baselineHits: z.number(),
  /** The model caught fewer of this district's incidents than the baseline did. */
  worseThanBaseline: z.boolean(),
  /** Flagged area at least 1.5 times its share of incidents (and at least 2 % of the flagged area). */
  overFlagged: z.boolean(),
});
export type DistrictCheck = z.infer<typeof DistrictCheck>;

/** A rolling backtest of the live model on the cache's own recent weeks. */
export const ForecastCheck = z.object({
  ranAt: EpochMs,
  horizonHours: z.number().positive(),
  from: EpochMs,
  to: EpochMs,
  windows: z.number().int().nonnegative(),
  incidents: z.number().int().nonnegative(),
  model: CheckScore,
  baselines: z.array(CheckScore),
  /** Model PAI over the best baseline's, at 1 % and 5 %. */
  ratio: z.array(z.number()),
  bestBaseline: z.array(z.string()),
  districts: z.array(DistrictCheck),
  /**
   * Calibration of the live model's intervals over the check windows: at each level (0.8, 0.95),
   * the share of study-area cells whose observed count fell inside their interval (`observed`, on
   * the probability scale, which equals the level when the intervals are right) and with whole
   * counts (`wholeCount`, at least the level by construction). Absent for models without intervals.
   */
  coverage: z.object({
    levels: z.array(z.number()),
    observed: z.array(z.number()),
    wholeCount: z.array(z.number()),
    cells: z.number().int().nonnegative(),
  }).optional(),
});
export type ForecastCheck = z.infer<typeof ForecastCheck>;

/** What the model card shows: what produced the forecast, from what, and how well it did lately. */
export const ModelCard = z.object({
  model: z.string(),
  modelVersion: z.string(),
  summary: z.string(),
  horizonHours: z.number().positive(),
  cellM: z.number().positive(),
  computedAt: EpochMs,
  /** Oldest and newest incident the model learnt from (null when the cache is empty). */
  trainingFrom: EpochMs.nullable(),
  trainingTo: EpochMs.nullable(),
  basedOn: z.number().int().nonnegative(),
  /** Only these fields of an incident reach the model. */
  inputs: z.array(z.string()),
  categories: z.array(z.object({ name: z.string(), incidents: z.number().int().nonnegative() })),
  /** What the model fitted or the inner backtest chose. */
  params: z.array(z.object({ name: z.string(), value: z.union([z.number(), z.string()]) })),
  /** The last check run for this horizon, or null before the first one. */
  check: ForecastCheck.nullable(),
  /** Why there is no check yet (too little history…), or null. */
  checkNote: z.string().nullable(),
  checkRunning: z.boolean(),
});
export type ModelCard = z.infer<typeof ModelCard>;

const Horizon = z.number().positive().max(24 * 31).default(24);
/** Who may start a check: it takes the service's time. */
const CHECK_ROLES: readonly Role[] = ['supervisor', 'trainer', 'admin'];

/** Area-level risk forecasts (cells only). */
export const forecastMethods = {
  'forecasts.latest': method({
    params: z.object({ horizonHours: z.number().positive().max(24 * 31).default(24) }).prefault({}),
    result: AreaForecast,
    roles: DESK_ROLES,
    summary: 'The latest area forecast for a horizon: expected incidents per grid cell, with an interval',
  }),
  'forecasts.explain': method({
    params: z.object({ horizonHours: Horizon, lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
    result: CellExplanation.nullable(),
    roles: DESK_ROLES,
    summary: 'Why a forecast cell is high: its value split into recent events by category and age, background and near-repeat parts',
  }),
  'forecasts.modelCard': method({
    params: z.object({ horizonHours: Horizon }).prefault({}),
    result: ModelCard,
    roles: DESK_ROLES,
    summary: 'The model card of the live forecast: model, inputs, training window, parameters, last check per district',
  }),
  'forecasts.runCheck': method({
    params: z.object({ horizonHours: Horizon }).prefault({}),
    result: ForecastCheck.nullable(),
    roles: CHECK_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Backtest the live model against the baselines on the cache\'s recent weeks, per district',
  }),
} as const;
