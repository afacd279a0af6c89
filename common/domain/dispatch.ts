import { z } from 'zod';
import { EpochMs } from './incident';
import { UnitType } from './unit';

/** A unit's progress on one incident, from the assignment to being free again. */
export const ASSIGNMENT_STATUSES = ['assigned', 'acknowledged', 'en_route', 'on_scene', 'cleared'] as const;
export const AssignmentStatus = z.enum(ASSIGNMENT_STATUSES);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

export const Assignment = z.object({
  id: z.string(),
  incidentId: z.string(),
  /** The unit's cache id (`<feedId>:<unitId>`). */
  unitId: z.string(),
  callsign: z.string().optional(),
  status: AssignmentStatus,
  assignedAt: EpochMs,
  acknowledgedAt: EpochMs.optional(),
  enRouteAt: EpochMs.optional(),
  onSceneAt: EpochMs.optional(),
  clearedAt: EpochMs.optional(),
  assignedBy: z.string(),
  /** The unit ranked first when this one was chosen, and why the supervisor chose otherwise. */
  recommendedUnitId: z.string().optional(),
  overrideReason: z.string().optional(),
  /** Rank of this unit in the recommendation at the time (1 = first). */
  rank: z.number().int().optional(),
  seq: z.number().int(),
});
export type Assignment = z.infer<typeof Assignment>;

/** How well a unit's kind fits the incident's category. */
export const Capability = z.enum(['match', 'partial', 'none']);
export type Capability = z.infer<typeof Capability>;
/** available; busy (its feed says so); assigned (by Vigie, to another incident); stale (position too old). */
export const Availability = z.enum(['available', 'busy', 'assigned', 'stale']);
export type Availability = z.infer<typeof Availability>;

/** One unit in the ranking for an incident, with the reasons shown next to it. */
export const Recommendation = z.object({
  rank: z.number().int(),
  unitId: z.string(),
  callsign: z.string(),
  unitType: UnitType,
  distanceM: z.number(),
  etaS: z.number(),
  capability: Capability,
  availability: Availability,
  /** For `assigned`: the incident the unit already works on. */
  assignedIncidentId: z.string().optional(),
  /** The unit's own status word from its feed, as sent. */
  feedStatus: z.string().optional(),
  /** Lower is better: ETA adjusted for capability and status (see main/core/dispatch/rank.ts). */
  score: z.number(),
  assignable: z.boolean(),
  /** How distanceM and etaS were estimated: over the city pack's roads, or the straight-line model (no roads, unit off them). */
  via: z.enum(['road', 'straight-line']).optional(),
  /** Farther than a unit of its type can plausibly come from: never recommended (position wrong, or another city). */
  tooFar: z.boolean().optional(),
  /** The way over the roads, [lon, lat] points, for the first units with a road ETA: drawn on the map. */
  route: z.array(z.tuple([z.number(), z.number()])).optional(),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const RecommendationList = z.object({
  incidentId: z.string(),
  /** Which ETA model ranked them, e.g. "straight-line-v1". */
  model: z.string(),
  computedAt: EpochMs,
  units: z.array(Recommendation),
});
export type RecommendationList = z.infer<typeof RecommendationList>;

/** The streets the units available now reach within each band (isochrones over the city pack's roads). */
export const Coverage = z.object({
  /** Band limits, seconds: [300, 600, 900]. */
  bandsS: z.array(z.number()),
  /** Units counted (available now, on the roads). */
  units: z.number().int(),
  computedAt: EpochMs,
  /** False when the city pack has no roads: nothing to draw, the legend says why. */
  roads: z.boolean(),
  /** Street segments reached, each with the first band that reaches it (0 = within bandsS[0]). */
  lines: z.array(z.object({ band: z.number().int(), path: z.array(z.tuple([z.number(), z.number()])) })),
});
export type Coverage = z.infer<typeof Coverage>;
