import type { sessionMethods } from '../../../common/methods/session';
import path from 'node:path';
import { loadCityPack, loadCityPackDir } from '../city/cityPack';
import { loadProfileConfig } from '../config';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function sessionHandlers(core: VigieCore): DomainHandlers<typeof sessionMethods> {
  return {
    'session.whoami': (_params, ctx) => ({
      user: ctx.user,
      role: ctx.role,
      workstation: core.store.log.workstationId,
      profile: core.profileDir,
      demo: core.demoRunning,
      version: core.version,
      readOnly: core.readOnly,
      training: core.training ? { day: core.training.info.day, scenario: core.training.info.scenario?.name ?? null } : null,
    }),
    'map.cityPack': () => {
      const dir = loadProfileConfig(core.profileDir).cityPack;
      return dir ? loadCityPackDir(path.resolve(core.profileDir, dir)) : loadCityPack();
    },
  };
}
