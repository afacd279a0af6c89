import type { feedMethods } from '../../../common/methods/feeds';
import type { VigieCore } from '../core';
import { purgeHistory } from '../privacy/purge';
import type { DomainHandlers } from './handlers';

export function feedHandlers(core: VigieCore): DomainHandlers<typeof feedMethods> {
  return {
    'feeds.list': () => core.scheduler.statuses(),
    'quarantine.list': ({ limit, feedId }) => core.store.quarantine.list(limit, feedId),
    'feeds.setPaused': ({ id, paused }) => core.scheduler.setPaused(id, paused),
    'feeds.purges': ({ limit }) => purgeHistory(core.store, limit),
    'feeds.settings': () => core.feedAdmin.settings(),
    'feeds.save': ({ feed }) => core.feedAdmin.save(feed),
    'feeds.remove': async ({ id }) => ({ removed: await core.feedAdmin.remove(id) }),
  };
}
