import { z } from 'zod';
import { PICTURE_ROLES } from '../domain/roles';
import { EpochMs, Incident, IncidentStatus } from '../domain/incident';
import { method } from './method';

export const incidentMethods = {
  'incidents.list': method({
    params: z
      .object({
        statuses: z.array(IncidentStatus).optional(),
        limit: z.number().int().min(1).max(50_000).default(2_000),
      })
      .prefault({}),
    result: z.array(Incident),
    roles: PICTURE_ROLES,
    summary: 'Incidents in the cache, most recent first',
  }),
  'incidents.count': method({
    params: z
      .object({
        /** Occurred in [from, to). */
        from: EpochMs.optional(),
        to: EpochMs.optional(),
        /** Open at this instant: occurred by then and not yet closed. */
        at: EpochMs.optional(),
        bbox: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
      })
      .refine((q) => q.at === undefined || (q.from === undefined && q.to === undefined), 'give either at, or from/to, not both')
      .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, 'from must be before to')
      .refine((q) => !q.bbox || (q.bbox[0] < q.bbox[2] && q.bbox[1] < q.bbox[3]), 'bbox is west,south,east,north'),
    result: z.number().int(),
    roles: PICTURE_ROLES,
    summary: 'How many incidents occurred in a window or were open at an instant, optionally in a box',
  }),
  'incidents.get': method({
    params: z.object({ id: z.string() }),
    result: Incident.nullable(),
    roles: PICTURE_ROLES,
    summary: 'One incident by id',
  }),
} as const;
