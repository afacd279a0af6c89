import type { feedMethods } from '../../../common/methods/feeds';
import type { FeedScheduler } from '../feeds/scheduler';
import type { FeedAdmin } from '../feeds/feedAdmin';
import type { FeedCredentials } from '../feeds/credentials';
import type { ProfilePolicy } from '../policy/profilePolicy';
import type { purgeHistory } from '../privacy/purge';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';
import { RpcError } from '../../../common/rpc';
import { asUserMistake } from './userMistake';

/** IT's machine policy owns the feeds when it lists them: config.json edits would be ignored anyway. */
function refuseWhenPolicySetsFeeds(policy: FeedDeps['policy']): void {
  if (policy.feedsSetByPolicy) throw new RpcError('forbidden', `The feeds are set by your organisation's machine policy (${policy.machine.path}); ask IT to change them.`);
}

export interface FeedDeps {
  scheduler: Pick<FeedScheduler, 'statuses' | 'setPaused' | 'runners'>;
  feedAdmin: Pick<FeedAdmin, 'settings' | 'save' | 'remove'>;
  credentials: Pick<FeedCredentials, 'describe'>;
  quarantine: Pick<Store['quarantine'], 'list'>;
  purges: (limit: number) => ReturnType<typeof purgeHistory>;
  policy: Pick<ProfilePolicy, 'feedsSetByPolicy' | 'machine'>;
}

export function feedHandlers({ scheduler, feedAdmin, credentials, quarantine, purges, policy }: FeedDeps): DomainHandlers<typeof feedMethods> {
  return {
    'feeds.list': () => scheduler.statuses(),
    'quarantine.list': ({ limit, feedId }) => quarantine.list(limit, feedId),
    'feeds.setPaused': ({ id, paused }) => asUserMistake(() => scheduler.setPaused(id, paused), () => (scheduler.runners.some((r) => r.id === id) ? 'bad_request' : 'not_found')),
    'feeds.purges': ({ limit }) => purges(limit),
    'feeds.settings': () => ({ ...feedAdmin.settings(), credentials: credentials.describe() }),
    'feeds.save': ({ feed }) => {
      refuseWhenPolicySetsFeeds(policy);
      return asUserMistake(() => feedAdmin.save(feed));
    },
    'feeds.remove': async ({ id }) => {
      refuseWhenPolicySetsFeeds(policy);
      return { removed: await feedAdmin.remove(id) };
    },
  };
}
