import { z } from 'zod';

/** What an aggregated source counts: people present (telecom), mentions (social listening), citizen reports. */
export const SIGNAL_KINDS = ['presence', 'mentions', 'reports'] as const;
export const SignalKind = z.enum(SIGNAL_KINDS);
export type SignalKind = z.infer<typeof SignalKind>;

/** The smallest k a feed may set: below 5 a count starts to describe people rather than a place. */
export const MIN_K = 5;
export const DEFAULT_K = 10;

/**
 * One aggregated count: an area (a district name or a cell id), a time bucket, a number. There is
 * no field for a person, an account or a device, and `strict` refuses a record that brings one.
 */
export const SignalBucket = z
  .object({
    kind: SignalKind,
    area: z.string().trim().min(1).max(120),
    /** Bucket start, ms since the epoch (or an ISO date in the feed). */
    start: z.number().int().nonnegative(),
    minutes: z.number().int().min(1).max(1440),
    count: z.number().int().nonnegative(),
  })
  .strict();
export type SignalBucket = z.infer<typeof SignalBucket>;

/** A bucket as the API returns it with its count: never one whose count is below its feed's k. */
export const SignalReading = SignalBucket.extend({ feedId: z.string() });
export type SignalReading = z.infer<typeof SignalReading>;

/**
 * A bucket counted below its feed's k, as the API returns it: no count (`count: null`), only the k
 * it is below, so the map can write "< k" (docs/security.md, "Signals"). A count of 0 and a count
 * of k − 1 give the very same answer.
 */
export const SuppressedSignal = SignalBucket.omit({ count: true }).extend({ feedId: z.string(), count: z.null(), belowK: z.number().int() }).strict();
export type SuppressedSignal = z.infer<typeof SuppressedSignal>;

/** What `signals.readings` answers for one bucket. */
export const SignalAnswer = z.union([SignalReading, SuppressedSignal]);
export type SignalAnswer = z.infer<typeof SignalAnswer>;
