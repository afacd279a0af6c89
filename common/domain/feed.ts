import { z } from 'zod';
import { EpochMs } from './incident';

export const FeedHealthState = z.enum(['ok', 'stale', 'failing', 'idle']);
export type FeedHealthState = z.infer<typeof FeedHealthState>;

export const FeedStatus = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string(),
  simulated: z.boolean(),
  state: FeedHealthState,
  lastSuccessAt: EpochMs.nullable(),
  lastErrorAt: EpochMs.nullable(),
  lastError: z.string().nullable(),
  consecutiveErrors: z.number().int(),
  nextAttemptAt: EpochMs.nullable(),
  stored: z.number().int(),
  quarantined: z.number().int(),
});
export type FeedStatus = z.infer<typeof FeedStatus>;
