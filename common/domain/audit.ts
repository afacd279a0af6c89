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
});
export type AuditVerification = z.infer<typeof AuditVerification>;
