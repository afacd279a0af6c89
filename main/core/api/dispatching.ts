import type { dispatchMethods } from '../../../common/methods/dispatch';
import type { OperatorActions } from '../actions/operatorActions';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';
import { coverage } from '../routing/coverage';
import type { Router } from '../routing/router';

export interface DispatchDeps {
  actions: Pick<OperatorActions, 'recommend' | 'assign' | 'setAssignmentStatus'>;
  assignments: Pick<Store['assignments'], 'forIncident' | 'active'>;
  units: Pick<Store['units'], 'list'>;
  /** The city pack's road graph, or null when the pack has no roads (coverage then says so). */
  router: () => Router | null;
}

export function dispatchHandlers({ actions: a, assignments, units, router: routerOf }: DispatchDeps): DomainHandlers<typeof dispatchMethods> {
  return {
    'dispatch.recommend': ({ incidentId }, ctx) => a.recommend(ctx, incidentId),
    'dispatch.assign': ({ incidentId, unitId, reason }, ctx) => a.assign(ctx, incidentId, unitId, reason),
    'dispatch.setStatus': ({ assignmentId, status }, ctx) => a.setAssignmentStatus(ctx, assignmentId, status),
    'dispatch.list': ({ incidentId, activeOnly }) => {
      const list = incidentId ? assignments.forIncident(incidentId) : assignments.active();
      return activeOnly ? list.filter((x) => x.status !== 'cleared') : list;
    },
    'dispatch.coverage': () => {
      const router = routerOf();
      const now = Date.now();
      return router ? coverage(router, units.list(), assignments.active(), now) : { bandsS: [], units: 0, computedAt: now, roads: false, lines: [] };
    },
  };
}
