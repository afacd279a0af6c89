import type { dispatchMethods } from '../../../common/methods/dispatch';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';
import path from 'node:path';
import { coverage } from '../routing/coverage';
import { packRouter } from '../routing/packRouter';

export function dispatchHandlers(core: VigieCore): DomainHandlers<typeof dispatchMethods> {
  const a = core.actions;
  const { assignments } = core.store;
  return {
    'dispatch.recommend': ({ incidentId }, ctx) => a.recommend(ctx, incidentId),
    'dispatch.assign': ({ incidentId, unitId, reason }, ctx) => a.assign(ctx, incidentId, unitId, reason),
    'dispatch.setStatus': ({ assignmentId, status }, ctx) => a.setAssignmentStatus(ctx, assignmentId, status),
    'dispatch.list': ({ incidentId, activeOnly }) => {
      const list = incidentId ? assignments.forIncident(incidentId) : assignments.active();
      return activeOnly ? list.filter((x) => x.status !== 'cleared') : list;
    },
    'dispatch.coverage': () => {
      const router = core.config.cityPack ? packRouter(path.resolve(core.profileDir, core.config.cityPack)) : null;
      const now = Date.now();
      return router ? coverage(router, core.store.units.list(), assignments.active(), now) : { bandsS: [], units: 0, computedAt: now, roads: false, lines: [] };
    },
  };
}
