import { z } from 'zod';
import { Assignment, AssignmentStatus, Coverage, RecommendationList } from '../domain/dispatch';
import { DESK_ROLES, OPERATOR_ROLES, SUPERVISOR_ROLES } from '../domain/roles';
import { EpochMs } from '../domain/incident';
import { method } from './method';

/** Ranking units for an incident, assigning one, and following it until it is cleared. */
export const dispatchMethods = {
  'dispatch.recommend': method({
    params: z.object({
      incidentId: z.string().min(1),
      /** A replayed instant: rank the units as they were then (positions, states, dispatches), not today's. */
      at: EpochMs.optional(),
    }),
    result: RecommendationList,
    roles: DESK_ROLES,
    summary: 'Units ranked by estimated time of arrival, with the reasons',
  }),
  'dispatch.assign': method({
    params: z.object({
      incidentId: z.string().min(1),
      unitId: z.string().min(1),
      /** Required when the unit is not the first recommendation. */
      reason: z.string().trim().max(500).optional(),
    }),
    result: Assignment,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Assign a unit to an incident (overriding the recommendation needs a reason)',
  }),
  'dispatch.setStatus': method({
    params: z.object({ assignmentId: z.string().min(1), status: AssignmentStatus.exclude(['assigned']) }),
    result: Assignment,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: "Record a unit's progress by hand (acknowledged, en route, on scene, cleared)",
  }),
  'dispatch.list': method({
    params: z.object({ incidentId: z.string().optional(), activeOnly: z.boolean().default(false) }).prefault({}),
    result: z.array(Assignment),
    roles: DESK_ROLES,
    summary: 'Assignments, for one incident or all active ones',
  }),
  'dispatch.coverage': method({
    params: z.object({ /** A replayed instant: the units available then. */ at: EpochMs.optional() }).prefault({}),
    result: Coverage,
    roles: DESK_ROLES,
    summary: 'Streets the units available now reach within 5, 10 and 15 minutes (over the city pack\'s roads)',
  }),
} as const;
