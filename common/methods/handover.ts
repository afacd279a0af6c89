import { z } from 'zod';
import { EpochMs } from '../domain/incident';
import type { Role } from '../domain/roles';
import { method } from './method';

/** Who keeps the shift's handover log and signs it: the supervisors (a trainer in a sandbox, an admin). */
export const HANDOVER_ROLES: readonly Role[] = ['supervisor', 'trainer', 'admin'];

export const HandoverEntry = z.object({ id: z.number().int(), t: EpochMs, author: z.string(), text: z.string() });
export type HandoverEntry = z.infer<typeof HandoverEntry>;

/** What the room looks like at handover, computed by the data service (main/core/db/handover.ts). */
export const HandoverSummary = z.object({
  /** When it was computed, and the start of the shift it covers. */
  at: EpochMs,
  since: EpochMs,
  /** Open incidents by priority: [P1, P2, P3, P4]. */
  openByPriority: z.array(z.number().int()).length(4),
  /** Alarms nobody acknowledged yet, and where the figure comes from. */
  openAlarms: z.number().int(),
  alarmsFrom: z.string(),
  /** Units on an active dispatch (en route or on scene). */
  unitsCommitted: z.number().int(),
  /** Since the shift started. */
  newIncidents: z.number().int(),
  closedIncidents: z.number().int(),
  /** The notable events of the shift, oldest first: new P1/P2 incidents, indicator and geofence alerts. */
  notable: z.array(z.object({ t: EpochMs, kind: z.enum(['incident', 'indicator', 'geofence']), priority: z.number().int().optional(), text: z.string() })),
});
export type HandoverSummary = z.infer<typeof HandoverSummary>;

const Signature = z.object({ user: z.string(), at: EpochMs }).nullable();

export const Handover = z.object({
  id: z.number().int(),
  startedAt: EpochMs,
  startedBy: z.string(),
  entries: z.array(HandoverEntry),
  /** The outgoing supervisor's signature; from then on the summary is the one they signed. */
  outgoing: Signature,
  /** The incoming supervisor's signature: the handover is done and the next shift's log opens. */
  incoming: Signature,
  summary: HandoverSummary,
});
export type Handover = z.infer<typeof Handover>;

/** The shift handover log (issue 16): entries during the shift, a summary, two signatures. */
export const handoverMethods = {
  'handover.current': method({
    params: z.object({}).prefault({}),
    result: z.object({ current: Handover, previous: Handover.nullable() }),
    roles: HANDOVER_ROLES,
    summary: 'The open shift’s handover log with its live summary, and the last signed handover',
  }),
  'handover.addEntry': method({
    params: z.object({ text: z.string().trim().min(1, 'write what the next shift must know').max(2000) }),
    result: Handover,
    roles: HANDOVER_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Add an entry to the open shift’s handover log',
  }),
  'handover.sign': method({
    params: z.object({ id: z.number().int() }),
    result: Handover,
    roles: HANDOVER_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Sign the handover as yourself: the outgoing supervisor first (the summary is frozen), then the incoming one, who opens the next shift',
  }),
} as const;
