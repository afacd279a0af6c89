import { z } from 'zod';
import { IncidentFields } from './incident';

/**
 * What an adapter turns raw feed bytes into. One member per entity kind; the feed engine adds
 * kinds (camera, unit, alert, …) here, each with its own projection in main/core.
 */
export const FeedRecord = z.discriminatedUnion('kind', [
  IncidentFields.extend({ kind: z.literal('incident') }),
]);
export type FeedRecord = z.infer<typeof FeedRecord>;
export type FeedRecordKind = FeedRecord['kind'];
