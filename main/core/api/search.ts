import path from 'node:path';
import type { searchMethods } from '../../../common/methods/search';
import { loadCityPack, loadCityPackDir } from '../city/cityPack';
import type { VigieCore } from '../core';
import { SearchService } from '../search/searchService';
import type { DomainHandlers } from './handlers';

export function searchHandlers(core: VigieCore): DomainHandlers<typeof searchMethods> {
  // The pack the map shows (config.json's cityPack, else the built-in Marseille one).
  const packDir = core.config.cityPack ? path.resolve(core.profileDir, core.config.cityPack) : null;
  const search = new SearchService({ store: core.store, bus: core.bus, packDir, pack: () => (packDir ? loadCityPackDir(packDir) : loadCityPack()) });
  return {
    'search.query': ({ q, limit }, ctx) => search.query(ctx, q, limit),
  };
}
