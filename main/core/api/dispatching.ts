import type { dispatchMethods } from '../../../common/methods/dispatch';
import type { Assignment } from '../../../common/domain/dispatch';
import type { Unit } from '../../../common/domain/entities';
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
  /** The units and running dispatches of a replayed instant (main/core/replay/unitsAt.ts). */
  replay: { unitsAt(at: number): Unit[]; activeAt(at: number): Assignment[] };
}

export function dispatchHandlers({ actions: a, assignments, units, router: routerOf, replay }: DispatchDeps): DomainHandlers<typeof dispatchMethods> {
  return {
    'dispatch.recommend': ({ incidentId, at }, ctx) => a.recommend(ctx, incidentId, at === undefined ? undefined : { units: replay.unitsAt(at), active: replay.activeAt(at), at }),
    'dispatch.assign': ({ incidentId, unitId, reason }, ctx) => a.assign(ctx, incidentId, unitId, reason),
    'dispatch.setStatus': ({ assignmentId, status }, ctx) => a.setAssignmentStatus(ctx, assignmentId, status),
    'dispatch.list': ({ incidentId, activeOnly }) => {
      const list = incidentId ? assignments.forIncident(incidentId) : assignments.active();
      return activeOnly ? list.filter((x) => x.status !== 'cleared') : list;
    },
    'dispatch.coverage': ({ at }) => {
      const router = routerOf();
      const now = at ?? Date.now();
      if (!router) return { bandsS: [], units: 0, computedAt: now, roads: false, lines: [] };
      return at === undefined ? coverage(router, units.list(), assignments.active(), now) : coverage(router, replay.unitsAt(at), replay.activeAt(at), at);
    },
  };
}
