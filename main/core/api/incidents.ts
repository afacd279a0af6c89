import type { incidentMethods } from '../../../common/methods/incidents';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function incidentHandlers(core: VigieCore): DomainHandlers<typeof incidentMethods> {
  const { incidents } = core.store;
  return {
    'incidents.list': (params) => incidents.list(params),
    'incidents.get': ({ id }) => incidents.get(id),
    'incidents.count': (query) => incidents.count(query),
  };
}
