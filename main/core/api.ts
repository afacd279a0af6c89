import type { Handlers } from './dispatch';
import type { VigieCore } from './core';
import { loadCityPack } from './city/cityPack';

/** The contract, implemented. Each handler is small: the work lives in the repositories. */
export function createApi(core: VigieCore): Handlers {
  const { store } = core;
  return {
    'session.whoami': (_params, ctx) => ({
      user: ctx.user,
      role: ctx.role,
      workstation: store.log.workstationId,
      profile: core.profileDir,
      demo: core.demoRunning,
      version: core.version,
    }),
    'incidents.list': (params) => store.incidents.list(params),
    'incidents.get': ({ id }) => store.incidents.get(id),
    'feeds.list': () => core.feeds.map((f) => f.status()),
    'quarantine.list': ({ limit }) => store.quarantine.list(limit),
    'map.cityPack': () => loadCityPack(),
  };
}
