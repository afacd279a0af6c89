import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';
import { Heading } from './unit';

export const CAMERA_STATUSES = ['online', 'offline', 'fault', 'maintenance', 'unknown'] as const;
export const CameraStatus = z.enum(CAMERA_STATUSES);
export type CameraStatus = z.infer<typeof CameraStatus>;

/** A fixed camera, drawn with its view cone when heading, fieldOfView and range are known. */
export const CameraFields = z.object({
  externalId: z.string().min(1).max(200),
  name: z.string().max(300).optional(),
  lon: Lon,
  lat: Lat,
  heading: Heading.optional(),
  /** Horizontal angle of view, degrees. */
  fieldOfView: z.number().gt(0).max(360).optional(),
  /** Useful viewing distance, metres. */
  range: z.number().gt(0).max(50_000).optional(),
  status: CameraStatus,
  /** Only http(s)/rtsp(s) URLs; the renderer never opens anything else. */
  streamUrl: z.string().max(2000).regex(/^(https?|rtsps?):\/\//i, 'must be an http(s) or rtsp(s) URL').optional(),
  /** When the status was last observed. */
  t: EpochMs,
});
export type CameraFields = z.infer<typeof CameraFields>;
