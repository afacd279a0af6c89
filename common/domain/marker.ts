import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

export const AFFILIATIONS = ['friend', 'hostile', 'neutral', 'unknown', 'pending', 'none'] as const;
export const Affiliation = z.enum(AFFILIATIONS);

/**
 * A point someone put on the shared map that is not one of our units: a CoT spot marker, a
 * reported hostile or unknown contact, a point of interest.
 */
export const MarkerFields = z.object({
  externalId: z.string().min(1).max(200),
  label: z.string().max(200).optional(),
  /** The source's type code (CoT type such as `b-m-p-s-m`), for symbology. */
  markerType: z.string().min(1).max(100),
  affiliation: Affiliation,
  lon: Lon,
  lat: Lat,
  t: EpochMs,
  /** After this the marker is no longer current (CoT `stale`; a CoT delete sets it to its own time). */
  expiresAt: EpochMs.optional(),
});
export type MarkerFields = z.infer<typeof MarkerFields>;
