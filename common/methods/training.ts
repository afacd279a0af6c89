import { z } from 'zod';
import { SUPERVISOR_ROLES } from '../domain/roles';
import { method } from './method';

/** Training sandboxes (docs/training.md). */
export const trainingMethods = {
  'training.inject': method({
    params: z.object({ record: z.record(z.string(), z.unknown()) }),
    result: z.object({ injected: z.literal(true) }),
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Trainer: injects an incident, unit failure or alert into the exercise now (sandbox profiles only)',
  }),
  'training.debrief': method({
    params: z.object({}).prefault({}),
    result: z.object({ html: z.string(), csv: z.string(), rows: z.number().int() }),
    roles: SUPERVISOR_ROLES,
    summary: 'Trainer: the debrief of this exercise (printable HTML, and CSV), from the sandbox log against the real day (sandbox profiles only)',
  }),
} as const;
