import { z } from 'zod';
import { AlertFields } from './alert';
import { CameraFields } from './camera';
import { EpochMs } from './incident';
import { UnitFields } from './unit';

/** What the cache adds to every entity a feed sends: stable id, source feed, last change. */
const Tracked = z.object({
  /** `<feedId>:<id within the feed>`. */
  id: z.string(),
  feedId: z.string(),
  simulated: z.boolean(),
  updatedAt: EpochMs,
  seq: z.number().int(),
});

export const Unit = UnitFields.extend(Tracked.shape);
export type Unit = z.infer<typeof Unit>;

export const Camera = CameraFields.extend(Tracked.shape).extend({
  /**
   * The camera has a stream. Lists and pushes carry this flag, never the URL: the URL comes only
   * from `cameras.stream`, which journals who opened it (viewing a camera is a consultation).
   */
  hasStream: z.boolean().optional(),
});
export type Camera = z.infer<typeof Camera>;

export const Alert = AlertFields.extend(Tracked.shape).extend({
  /** A later CAP Cancel referenced this alert. */
  cancelled: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/** One position of a unit's trail. */
export const TrailPoint = z.object({ t: EpochMs, lon: z.number(), lat: z.number(), heading: z.number().nullable() });
export type TrailPoint = z.infer<typeof TrailPoint>;
