import type { syncMethods } from '../../../common/methods/sync';
import type { SyncStatus } from '../../../common/domain/sync';
import type { SyncLink } from '../compose';
import type { DomainHandlers } from './handlers';

const STANDALONE: SyncStatus = { mode: 'standalone', workstation: null, hub: null, cursor: 0, pending: [], conflicts: [], lastError: null };

export function syncHandlers({ sync }: { sync: SyncLink | null }): DomainHandlers<typeof syncMethods> {
  return {
    'sync.status': () => sync?.status() ?? STANDALONE,
    'sync.dismiss': ({ uid }) => {
      sync?.dismiss(uid);
      return sync?.status() ?? STANDALONE;
    },
  };
}
