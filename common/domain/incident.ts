import { z } from 'zod';
import { MAX_MEDIA_PER_INCIDENT, MediaRef } from './media';

export const INCIDENT_STATUSES = ['new', 'acknowledged', 'dispatched', 'on_scene', 'closed'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** 1 = most urgent (life at risk) … 4 = routine. */
export const Priority = z.number().int().min(1).max(4);

export const INCIDENT_CATEGORIES = [
  'assault', 'theft', 'burglary', 'vandalism', 'traffic_accident', 'traffic_offence', 'vehicle_removal',
  'public_order', 'noise', 'fire', 'medical', 'suspicious_package', 'missing_person', 'other',
] as const;

export const Lon = z.number().min(-180).max(180);
export const Lat = z.number().min(-90).max(90);
/** Milliseconds since the Unix epoch, UTC. Every time in the contract is one of these. */
export const EpochMs = z.number().int().nonnegative();

/** What a feed says about an incident (before the cache adds its own bookkeeping). */
export const IncidentFields = z.object({
  externalId: z.string().min(1).max(200),
  category: z.string().min(1).max(64),
  priority: Priority,
  status: IncidentStatus,
  title: z.string().max(300),
  description: z.string().max(4000).optional(),
  address: z.string().max(300).optional(),
  lon: Lon,
  lat: Lat,
  occurredAt: EpochMs,
  closedAt: EpochMs.optional(),
  /**
   * When the source last updated the incident (GeoJSON `updated`, Open311 `updated_datetime`, a
   * mapped CSV column): an update older than the one stored loses. Absent: the arrival time stands in.
   */
  sourceUpdatedAt: EpochMs.optional(),
  /** Photos and videos the report names (issue 22): addresses only, fetched when a person opens them. */
  media: z.array(MediaRef).max(MAX_MEDIA_PER_INCIDENT).optional(),
});
export type IncidentFields = z.infer<typeof IncidentFields>;

export const Incident = IncidentFields.extend({
  /** Stable across feeds: `<feedId>:<externalId>`. */
  id: z.string(),
  feedId: z.string(),
  simulated: z.boolean(),
  updatedAt: EpochMs,
  /** Sequence number of the event that last changed this incident. */
  seq: z.number().int(),
  /**
   * An operator has acted on the lifecycle: from then on the operator's status, priority and
   * closing stand, and later feed updates change only the description (see main/core/actions/).
   */
  operatorOwned: z.boolean().optional(),
  /** What the feed last said, when it disagrees with the operator's decision. */
  feedStatus: IncidentStatus.optional(),
  feedPriority: Priority.optional(),
  /** Closed as a duplicate of this incident. */
  mergedInto: z.string().optional(),
  /** Lifecycle timers, stored: time to dispatch = dispatchedAt − occurredAt; time on scene = closedAt (or now) − onSceneAt. */
  acknowledgedAt: EpochMs.optional(),
  dispatchedAt: EpochMs.optional(),
  onSceneAt: EpochMs.optional(),
});
export type Incident = z.infer<typeof Incident>;
