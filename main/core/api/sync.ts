import type { syncMethods } from '../../../common/methods/sync';
import type { SyncStatus } from '../../../common/domain/sync';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

const STANDALONE: SyncStatus = { mode: 'standalone', workstation: null, hub: null, cursor: 0, pending: [], conflicts: [], lastError: null };

export function syncHandlers(core: VigieCore): DomainHandlers<typeof syncMethods> {
  return {
    'sync.status': () => core.sync?.status() ?? STANDALONE,
    'sync.dismiss': ({ uid }) => {
      core.sync?.dismiss(uid);
      return core.sync?.status() ?? STANDALONE;
    },
  };
}
