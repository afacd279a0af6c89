import type { feedMethods } from '../../../common/methods/feeds';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function feedHandlers(core: VigieCore): DomainHandlers<typeof feedMethods> {
  return {
    'feeds.list': () => core.feeds.map((f) => f.status()),
    'quarantine.list': ({ limit }) => core.store.quarantine.list(limit),
  };
}
