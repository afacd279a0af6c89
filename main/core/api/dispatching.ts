import type { dispatchMethods } from '../../../common/methods/dispatch';
import type { OperatorActions } from '../actions/operatorActions';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';

export interface DispatchDeps {
  actions: Pick<OperatorActions, 'recommend' | 'assign' | 'setAssignmentStatus'>;
  assignments: Pick<Store['assignments'], 'forIncident' | 'active'>;
}

export function dispatchHandlers({ actions: a, assignments }: DispatchDeps): DomainHandlers<typeof dispatchMethods> {
  return {
    'dispatch.recommend': ({ incidentId }, ctx) => a.recommend(ctx, incidentId),
    'dispatch.assign': ({ incidentId, unitId, reason }, ctx) => a.assign(ctx, incidentId, unitId, reason),
    'dispatch.setStatus': ({ assignmentId, status }, ctx) => a.setAssignmentStatus(ctx, assignmentId, status),
    'dispatch.list': ({ incidentId, activeOnly }) => {
      const list = incidentId ? assignments.forIncident(incidentId) : assignments.active();
      return activeOnly ? list.filter((x) => x.status !== 'cleared') : list;
    },
  };
}
