import type { incidentMethods } from '../../../common/methods/incidents';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';

export function incidentHandlers({ incidents }: { incidents: Pick<Store['incidents'], 'list' | 'get' | 'count'> }): DomainHandlers<typeof incidentMethods> {
  return {
    'incidents.list': (params) => incidents.list(params),
    'incidents.get': ({ id }) => incidents.get(id),
    'incidents.count': (query) => incidents.count(query),
  };
}
