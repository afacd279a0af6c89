import type { sessionMethods, Session } from '../../../common/methods/session';
import path from 'node:path';
import { loadCityPack, loadCityPackDir } from '../city/cityPack';
import { loadProfileConfig } from '../config';
import type { DomainHandlers } from './handlers';

export interface SessionDeps {
  /** What this data service is (workstation, profile, version, demo, read-only, training), the caller aside. */
  about: () => Omit<Session, 'user' | 'role'>;
  profileDir: string;
}

export function sessionHandlers({ about, profileDir }: SessionDeps): DomainHandlers<typeof sessionMethods> {
  return {
    'session.whoami': (_params, ctx) => ({ user: ctx.user, role: ctx.role, ...about() }),
    'map.cityPack': () => {
      const dir = loadProfileConfig(profileDir).cityPack;
      return dir ? loadCityPackDir(path.resolve(profileDir, dir)) : loadCityPack();
    },
  };
}
