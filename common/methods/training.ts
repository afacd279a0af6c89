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
    summary: 'Trainer: injects an incident, unit failure or alert into the exercise now (sandbox profiles only)',
  }),
} as const;
