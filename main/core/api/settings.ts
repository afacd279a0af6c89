import type { settingsMethods } from '../../../common/methods/settings';
import { RpcError } from '../../../common/rpc';
import type { VigieCore } from '../core';
import { DeskSettingError, LockedSettingError } from '../policy/machinePolicy';
import type { DomainHandlers } from './handlers';

export function settingsHandlers(core: VigieCore): DomainHandlers<typeof settingsMethods> {
  return {
    'settings.get': () => core.settings(),
    'settings.set': ({ key, value }, ctx) => {
      try {
        core.userSettings.set(key, value as never, core.settings());
      } catch (error) {
        if (!(error instanceof LockedSettingError || error instanceof DeskSettingError)) throw error;
        // A desk user reaching for IT's settings is an attempted access: part of the trail.
        core.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'refused', target: `settings.set ${key}`, reason: error.message, origin: ctx.origin });
        throw new RpcError(error instanceof LockedSettingError ? 'forbidden' : 'bad_request', error.message);
      }
      return core.settings();
    },
  };
}
