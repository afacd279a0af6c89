import type { settingsMethods } from '../../../common/methods/settings';
import { RpcError } from '../../../common/rpc';
import type { VigieCore } from '../core';
import { LockedSettingError } from '../policy/machinePolicy';
import type { DomainHandlers } from './handlers';

export function settingsHandlers(core: VigieCore): DomainHandlers<typeof settingsMethods> {
  return {
    'settings.get': () => core.settings(),
    'settings.set': ({ key, value }) => {
      try {
        core.userSettings.set(key, value as never, core.settings());
      } catch (error) {
        if (error instanceof LockedSettingError) throw new RpcError('forbidden', error.message);
        throw error;
      }
      return core.settings();
    },
  };
}
