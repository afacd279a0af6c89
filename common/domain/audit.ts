import { z } from 'zod';
import { EpochMs } from './incident';
import { Role } from './roles';

/** One row of the hash-chained journal (EU Directive 2016/680 art. 25: logging of consultation and disclosure). */
export const AuditEntry = z.object({
  id: z.number().int(),
  t: EpochMs,
  user: z.string(),
  role: Role,
  /** `action` changed something; `consultation` only looked at it. */
  kind: z.enum(['action', 'consultation']),
  action: z.string(),
  target: z.string(),
  reason: z.string().optional(),
  origin: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  /** The first row whose hash or link does not match, and why. */
  firstBroken: z.object({ id: z.number().int(), problem: z.string() }).optional(),
  /** Rows removed by retention, stood in for by a signed checkpoint (rows 1–upTo). */
  purged: z.object({ rows: z.number().int(), upTo: z.number().int(), at: EpochMs }).optional(),
  /**
   * The check against the journal's external anchors (its head written to an append-only place
   * outside the profile), which proves the newest rows were not cut off; null when none is configured.
   */
  anchors: z
    .object({
      file: z.string(),
      ok: z.boolean(),
      count: z.number().int(),
      newest: z.object({ t: EpochMs, id: z.number().int() }).optional(),
      problem: z.string().optional(),
    })
    .nullable()
    .optional(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
