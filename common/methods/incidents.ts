import { z } from 'zod';
import { ANY_ROLE } from '../domain/roles';
import { Incident, IncidentStatus } from '../domain/incident';
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
    roles: ANY_ROLE,
    summary: 'Incidents in the cache, most recent first',
  }),
  'incidents.get': method({
    params: z.object({ id: z.string() }),
    result: Incident.nullable(),
    roles: ANY_ROLE,
    summary: 'One incident by id',
  }),
} as const;
