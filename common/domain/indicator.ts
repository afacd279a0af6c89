import { z } from 'zod';

/** The sliding windows an indicator counts over: the last hour, since local midnight, the last 7 days. */
export const INDICATOR_WINDOWS = ['hour', 'today', '7d'] as const;
export const IndicatorWindow = z.enum(INDICATOR_WINDOWS);
export type IndicatorWindow = z.infer<typeof IndicatorWindow>;

export const Threshold = z.discriminatedUnion('kind', [
  /** Alert at `count` incidents or more in the window. */
  z.object({ kind: z.literal('absolute'), count: z.number().int().min(1).max(100_000) }),
  /** Alert at `factor` times the usual level, and at least `minCount` (a quiet district's 1 → 3 is not news). */
  z.object({ kind: z.literal('multiple'), factor: z.number().min(1).max(100), minCount: z.number().int().min(1).max(100_000) }),
]);
export type Threshold = z.infer<typeof Threshold>;

/**
 * One indicator: incidents of a category (or every category: "*") per district over a window,
 * with its threshold and its reflex sheet (fiche réflexe, Markdown, rendered as text, never HTML).
 */
export const Indicator = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, at most 64'),
  label: z.string().trim().min(1).max(120),
  category: z.string().min(1).max(64),
  window: IndicatorWindow,
  threshold: Threshold,
  sheet: z.string().max(20_000).default(''),
  /**
   * During a planned crowd event in the district (public event, market, demonstration, match,
   * other: not roadworks or closures), the threshold is multiplied by this factor: more incidents
   * are expected around 40,000 people. 1 (the default) leaves it as is; the alert then still names
   * the event. The usual level itself stays the plain mean of past weeks.
   */
  plannedEventFactor: z.number().min(1).max(10).optional(),
});
export type Indicator = z.infer<typeof Indicator>;

/** A planned event overlapping a district and a window: what a reading or an alert names as context. */
export const PlannedContext = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  attendance: z.number().int().optional(),
});
export type PlannedContext = z.infer<typeof PlannedContext>;

/** One district's count for one indicator, and its usual level for that hour and weekday. */
export const IndicatorReading = z.object({
  indicatorId: z.string(),
  district: z.string(),
  count: z.number().int(),
  /** Mean count over the same window in past weeks of the cache (same weekday and hour); null without history. */
  usual: z.number().nullable(),
  above: z.boolean(),
  /** Planned events in the district during the window (crowd events and works alike). */
  planned: z.array(PlannedContext).default([]),
  /** The factor applied to the threshold because of a planned crowd event (1: none). */
  thresholdFactor: z.number().default(1),
});
export type IndicatorReading = z.infer<typeof IndicatorReading>;

export const IndicatorAlert = z.object({
  seq: z.number().int(),
  t: z.number(),
  indicatorId: z.string(),
  label: z.string(),
  district: z.string(),
  window: IndicatorWindow,
  count: z.number().int(),
  usual: z.number().nullable(),
  /** What was crossed, in words the tray shows (e.g. "≥ 3 × usual (2.0), min 10"). */
  threshold: Threshold,
  sheet: z.string(),
  /** Planned events in the district during the window, and the factor they put on the threshold. */
  planned: z.array(PlannedContext).optional(),
  thresholdFactor: z.number().optional(),
  acknowledgedBy: z.string().optional(),
  acknowledgedAt: z.number().optional(),
});
export type IndicatorAlert = z.infer<typeof IndicatorAlert>;
