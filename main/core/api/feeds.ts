import type { feedMethods } from '../../../common/methods/feeds';
import type { VigieCore } from '../core';
import { purgeHistory } from '../privacy/purge';
import type { DomainHandlers } from './handlers';
import { RpcError } from '../../../common/rpc';
import { asUserMistake } from './userMistake';

/** IT's machine policy owns the feeds when it lists them: config.json edits would be ignored anyway. */
function refuseWhenPolicySetsFeeds(core: VigieCore): void {
  if (core.feedsSetByPolicy) throw new RpcError('forbidden', `The feeds are set by your organisation's machine policy (${core.policy.path}); ask IT to change them.`);
}

export function feedHandlers(core: VigieCore): DomainHandlers<typeof feedMethods> {
  return {
    'feeds.list': () => core.scheduler.statuses(),
    'quarantine.list': ({ limit, feedId }) => core.store.quarantine.list(limit, feedId),
    'feeds.setPaused': ({ id, paused }) => asUserMistake(() => core.scheduler.setPaused(id, paused), () => (core.scheduler.runners.some((r) => r.id === id) ? 'bad_request' : 'not_found')),
    'feeds.purges': ({ limit }) => purgeHistory(core.store, limit),
    'feeds.settings': () => ({ ...core.feedAdmin.settings(), credentials: core.credentials.describe() }),
    'feeds.save': ({ feed }) => {
      refuseWhenPolicySetsFeeds(core);
      return asUserMistake(() => core.feedAdmin.save(feed));
    },
    'feeds.remove': async ({ id }) => {
      refuseWhenPolicySetsFeeds(core);
      return { removed: await core.feedAdmin.remove(id) };
    },
  };
}
