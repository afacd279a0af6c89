import { z } from 'zod';
import { EpochMs } from './incident';

export const FeedHealthState = z.enum(['ok', 'stale', 'failing', 'idle', 'paused']);
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
  // The fields below are set by every runner of the scheduler; optional so older producers still validate.
  /** How the bytes arrive: poll, websocket, sse, tcp, udp, folder, simulated. */
  transport: z.string().optional(),
  paused: z.boolean().optional(),
  /**
   * The feed is late: nothing received (a success for polls, a message for streams) within its
   * expected window, or it is failing. The layer panel shows a "stale" badge on every layer fed by
   * a feed whose `stale` is true; `kinds` says which layers those are.
   */
  stale: z.boolean().optional(),
  /** Entity kinds this feed has brought (incident, unit, camera, alert, sensor, marker). */
  kinds: z.array(z.string()).optional(),
  /** When records last arrived. */
  lastDataAt: EpochMs.nullable().optional(),
  /** Arrival time minus the newest source time of the last batch: how old the data is when it lands. */
  lagMs: z.number().nullable().optional(),
  /** Failures since the feed was added. */
  errorCount: z.number().int().optional(),
  /** The disk holding the profile is full: nothing new is stored until space is freed (the UI shows a banner). */
  diskFull: z.boolean().optional(),
  /** Records stored over the last minute. */
  recordsPerMinute: z.number().optional(),
  /** Privacy policy, as declared: why the feed is collected and how long its records are kept. */
  purpose: z.string().nullable().optional(),
  retentionDays: z.number().nullable().optional(),
  /** Items read but not stored, by kind ("index entries: links only": 163), in the latest payload that had any. */
  ignored: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type FeedStatus = z.infer<typeof FeedStatus>;
