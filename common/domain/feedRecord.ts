import { z } from 'zod';
import { AlertFields } from './alert';
import { CameraFields } from './camera';
import { IncidentFields } from './incident';
import { MarkerFields } from './marker';
import { SensorFields } from './sensor';
import { UnitFields } from './unit';

/**
 * What an adapter turns raw feed bytes into. One member per entity kind, each with its own
 * projection in main/core.
 */
export const FeedRecord = z.discriminatedUnion('kind', [
  IncidentFields.extend({ kind: z.literal('incident') }),
  AlertFields.extend({ kind: z.literal('alert') }),
  UnitFields.extend({ kind: z.literal('unit') }),
  CameraFields.extend({ kind: z.literal('camera') }),
  SensorFields.extend({ kind: z.literal('sensor') }),
  MarkerFields.extend({ kind: z.literal('marker') }),
]);
export type FeedRecord = z.infer<typeof FeedRecord>;
export type FeedRecordKind = FeedRecord['kind'];
/** The record of one kind, e.g. FeedRecordOf<'unit'>. */
export type FeedRecordOf<K extends FeedRecordKind> = Extract<FeedRecord, { kind: K }>;
