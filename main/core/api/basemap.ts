import type { basemapMethods } from '../../../common/methods/basemap';
import { loadProfileConfig } from '../config';
import { openBasemap, type BasemapFile } from '../city/basemapFile';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function basemapHandlers(core: VigieCore): DomainHandlers<typeof basemapMethods> {
  const config = loadProfileConfig(core.profileDir).basemap;
  // Opened on first use, so a profile whose basemap file went missing still starts and says why on the map.
  let file: BasemapFile | null = null;
  const open = () => (file ??= openBasemap(config, core.profileDir));
  return {
    'map.basemap': async () => {
      if (config.type === 'style') return { kind: 'style', url: config.url };
      const f = open();
      return f ? f.describe() : { kind: 'builtin' };
    },
    'map.basemapBytes': ({ offset, length }) => ({ base64: open()?.bytes(offset, length).toString('base64') ?? '' }),
    'map.basemapTile': ({ z, x, y }) => ({ base64: open()?.tile(z, x, y)?.toString('base64') ?? null }),
  };
}
