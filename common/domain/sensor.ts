import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

/** The latest reading of one observed property of one sensor (one SensorThings Datastream). */
export const SensorFields = z.object({
  /** `<thing id>/<datastream id>` for SensorThings; one per observed property. */
  externalId: z.string().min(1).max(200),
  /** Groups the readings of one device. */
  sensorId: z.string().min(1).max(200),
  name: z.string().max(300).optional(),
  lon: Lon,
  lat: Lat,
  observedProperty: z.string().min(1).max(200),
  /** A measurement is a number; category or truth observations stay as they came. */
  value: z.union([z.number(), z.string().max(1000), z.boolean()]).nullable(),
  /** Unit of measurement symbol (°C, µg/m³, …). */
  unit: z.string().max(50).optional(),
  /** When the observation was made (phenomenon time). */
  t: EpochMs,
});
export type SensorFields = z.infer<typeof SensorFields>;
