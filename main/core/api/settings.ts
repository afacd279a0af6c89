import type { settingsMethods } from '../../../common/methods/settings';
import { RpcError } from '../../../common/rpc';
import type { ProfilePolicy } from '../policy/profilePolicy';
import { DeskSettingError, LockedSettingError } from '../policy/machinePolicy';
import type { DomainHandlers, Journal } from './handlers';

export interface SettingsDeps {
  policy: Pick<ProfilePolicy, 'settings' | 'userSettings'>;
  audit: Journal;
}

export function settingsHandlers({ policy, audit }: SettingsDeps): DomainHandlers<typeof settingsMethods> {
  return {
    'settings.get': () => policy.settings(),
    'settings.set': ({ key, value }, ctx) => {
      try {
        policy.userSettings.set(key, value as never, policy.settings());
      } catch (error) {
        if (!(error instanceof LockedSettingError || error instanceof DeskSettingError)) throw error;
        // A desk user reaching for IT's settings is an attempted access: part of the trail.
        audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'refused', target: `settings.set ${key}`, reason: error.message, origin: ctx.origin });
        throw new RpcError(error instanceof LockedSettingError ? 'forbidden' : 'bad_request', error.message);
      }
      return policy.settings();
    },
  };
}
