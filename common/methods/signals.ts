import { z } from 'zod';
import { EpochMs } from '../domain/incident';
import { SignalAnswer } from '../domain/signal';
import { PICTURE_ROLES, type Role } from '../domain/roles';
import { method } from './method';

const IMPORT_ROLES: readonly Role[] = ['supervisor', 'admin'];

/** Aggregated signals: counts per area and time bucket only, never a count below k ("< k" instead). */
export const signalMethods = {
  'signals.readings': method({
    params: z.object({ from: EpochMs.optional(), to: EpochMs.optional() }).prefault({}),
    result: z.array(SignalAnswer),
    roles: PICTURE_ROLES,
    summary: 'Aggregated counts per area and bucket (default: the last hour); a bucket below k comes without its count, as "below k" (a consultation: journaled)',
  }),
  'signals.import': method({
    params: z.object({ feedId: z.string().min(1).max(64), body: z.string().max(5_000_000) }),
    result: z.object({ stored: z.number().int(), refused: z.array(z.object({ reason: z.string() })) }),
    roles: IMPORT_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Import aggregated buckets (JSON) for a configured signal feed; records naming a person are refused',
  }),
} as const;
