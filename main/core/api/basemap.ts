import type { basemapMethods } from '../../../common/methods/basemap';
import { loadProfileConfig, type BasemapConfig } from '../config';
import { openBasemap, type BasemapFile } from '../city/basemapFile';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';
import fs from 'node:fs';
import path from 'node:path';
import { readPackManifest } from '../city/packBuild';

/** The `basemap` setting (machine policy or user): "builtin", a .pmtiles/.mbtiles path, or a style URL. */
export function basemapFromSetting(value: string): BasemapConfig {
  if (value === 'builtin') return { type: 'builtin' };
  if (/^https?:\/\//i.test(value)) return { type: 'style', url: value };
  return { type: /\.mbtiles$/i.test(value) ? 'mbtiles' : 'pmtiles', path: value };
}

export function basemapHandlers(core: VigieCore): DomainHandlers<typeof basemapMethods> {
  // Precedence as for every setting: the machine policy, then the person's setting, then the profile's config.json.
  const settings = core.settings();
  const config = settings.sources.basemap === 'default' ? loadProfileConfig(core.profileDir).basemap : basemapFromSetting(settings.values.basemap);
  // Opened on first use, so a profile whose basemap file went missing still starts and says why on the map.
  let file: BasemapFile | null = null;
  const open = () => (file ??= openBasemap(config, core.profileDir));
  // The city pack's own archive (its vector-tiled parts), opened on first read.
  let packFd: number | null = null;
  const packArchive = () => {
    if (packFd !== null) return packFd;
    const dir = loadProfileConfig(core.profileDir).cityPack;
    const tiles = dir ? readPackManifest(path.resolve(core.profileDir, dir)).tiles : undefined;
    if (!dir || !tiles) return null;
    packFd = fs.openSync(path.join(path.resolve(core.profileDir, dir), tiles.file), 'r');
    return packFd;
  };
  return {
    'map.basemap': async () => {
      if (config.type === 'style') return { kind: 'style', url: config.url };
      const f = open();
      return f ? f.describe() : { kind: 'builtin' };
    },
    'map.basemapBytes': ({ offset, length }) => ({ base64: open()?.bytes(offset, length).toString('base64') ?? '' }),
    'map.basemapTile': ({ z, x, y }) => ({ base64: open()?.tile(z, x, y)?.toString('base64') ?? null }),
    'map.packBytes': ({ offset, length }) => {
      const fd = packArchive();
      if (fd === null) return { base64: '' };
      const b = Buffer.alloc(length);
      const n = fs.readSync(fd, b, 0, length, offset);
      return { base64: b.subarray(0, n).toString('base64') };
    },
  };
}
