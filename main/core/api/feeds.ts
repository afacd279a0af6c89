import type { feedMethods } from '../../../common/methods/feeds';
import type { VigieCore } from '../core';
import { purgeHistory } from '../privacy/purge';
import type { DomainHandlers } from './handlers';
import { RpcError } from '../../../common/rpc';

/** IT's machine policy owns the feeds when it lists them: config.json edits would be ignored anyway. */
function refuseWhenPolicySetsFeeds(core: VigieCore): void {
  if (core.feedsSetByPolicy) throw new RpcError('forbidden', `The feeds are set by your organisation's machine policy (${core.policy.path}); ask IT to change them.`);
}

export function feedHandlers(core: VigieCore): DomainHandlers<typeof feedMethods> {
  return {
    'feeds.list': () => core.scheduler.statuses(),
    'quarantine.list': ({ limit, feedId }) => core.store.quarantine.list(limit, feedId),
    'feeds.setPaused': ({ id, paused }) => core.scheduler.setPaused(id, paused),
    'feeds.purges': ({ limit }) => purgeHistory(core.store, limit),
    'feeds.settings': () => ({ ...core.feedAdmin.settings(), credentials: core.credentials.describe() }),
    'feeds.save': ({ feed }) => {
      refuseWhenPolicySetsFeeds(core);
      return core.feedAdmin.save(feed);
    },
    'feeds.remove': async ({ id }) => {
      refuseWhenPolicySetsFeeds(core);
      return { removed: await core.feedAdmin.remove(id) };
    },
  };
}
