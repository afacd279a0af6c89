import type { basemapMethods } from '../../../common/methods/basemap';
import { loadProfileConfig, type BasemapConfig } from '../config';
import { openBasemap, openCheckedPmtiles, type BasemapFile } from '../city/basemapFile';
import type { ProfilePolicy } from '../policy/profilePolicy';
import type { DomainHandlers } from './handlers';
import fs from 'node:fs';
import { RpcError } from '../../../common/rpc';
import path from 'node:path';
import { readPackManifest } from '../city/packBuild';

/** The `basemap` setting (machine policy or user): "builtin", a .pmtiles/.mbtiles path, or a style URL. */
export function basemapFromSetting(value: string): BasemapConfig {
  if (value === 'builtin') return { type: 'builtin' };
  if (/^https?:\/\//i.test(value)) return { type: 'style', url: value };
  return { type: /\.mbtiles$/i.test(value) ? 'mbtiles' : 'pmtiles', path: value };
}

export interface BasemapDeps {
  profileDir: string;
  policy: Pick<ProfilePolicy, 'settings' | 'applied'>;
}

export function basemapHandlers({ profileDir, policy: profilePolicy }: BasemapDeps): DomainHandlers<typeof basemapMethods> {
  // Precedence as for every setting: the machine policy, then the person's setting, then the profile's config.json.
  const settings = profilePolicy.settings();
  const profile = loadProfileConfig(profileDir);
  const policy = profilePolicy.applied;
  const deployed: Record<string, BasemapConfig> = { ...profile.basemaps, ...policy?.basemaps };
  // A person's setting is a name among those IT deployed (resolveSettings dropped any other); only the policy's setting may be a path or URL.
  const config =
    settings.sources.basemap === 'default'
      ? profile.basemap
      : settings.sources.basemap === 'user'
        ? (deployed[settings.values.basemap] ?? { type: 'builtin' })
        : basemapFromSetting(settings.values.basemap);
  // Files are served only from folders IT named: the profile, and those of the paths config.json and the policy give.
  const itPaths = [profile.basemap, ...Object.values(deployed), ...(policy?.settings?.basemap ? [basemapFromSetting(policy.settings.basemap)] : [])];
  const allowed = [profileDir, ...itPaths.flatMap((c) => ('path' in c ? [path.dirname(path.resolve(profileDir, c.path))] : []))];
  // Opened on first use, so a profile whose basemap file went missing still starts and says why on the map.
  let file: BasemapFile | null = null;
  // A basemap IT misplaced is the service's state, not the caller's mistake: `unavailable`, with the fix.
  const open = () => {
    try {
      return (file ??= openBasemap(config, profileDir, allowed));
    } catch (error) {
      throw new RpcError('unavailable', (error as Error).message);
    }
  };
  // The city pack's own archive (its vector-tiled parts), opened on first read.
  let packFd: number | null = null;
  const packArchive = () => {
    if (packFd !== null) return packFd;
    const dir = loadProfileConfig(profileDir).cityPack;
    const tiles = dir ? readPackManifest(path.resolve(profileDir, dir)).tiles : undefined;
    if (!dir || !tiles) return null;
    // The manifest names the file: it must really lie in the pack's folder and be a PMTiles archive.
    const packDir = path.resolve(profileDir, dir);
    try {
      packFd = openCheckedPmtiles(path.join(packDir, tiles.file), [packDir]);
    } catch (error) {
      throw new RpcError('unavailable', (error as Error).message);
    }
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
