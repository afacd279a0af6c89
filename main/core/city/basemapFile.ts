import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import type { Basemap } from '../../../common/methods/basemap';
import type { BasemapConfig } from '../config';
import { openMbtilesDb } from '../db/mbtiles';

/** An offline basemap file opened by the data service; the renderer reads it through the contract. */
export interface BasemapFile {
  describe(): Promise<Basemap>;
  bytes(offset: number, length: number): Buffer;
  tile(z: number, x: number, y: number): Buffer | null;
  close(): void;
}

const PROTOMAPS_V2_LAYERS = ['earth', 'water', 'roads', 'places'];
const stripHtml = (s: string) => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

function missing(file: string, type: string): Error {
  return new Error(`basemap file ${file} does not exist. Fix "basemap.path" in the profile's config.json (a ${type} file, relative to the profile folder), or remove "basemap" to use the built-in map.`);
}

class FileSource implements Source {
  constructor(private readonly fd: number, private readonly key: string) {}
  getKey() { return this.key; }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const b = readRange(this.fd, offset, length);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer };
  }
}

function readRange(fd: number, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = fs.readSync(fd, b, 0, length, offset);
  return b.subarray(0, n);
}

/**
 * The real path of `file` (symbolic links followed), refused unless it lies inside one of
 * `allowed` (also real paths, compared with a trailing separator so /srv/maps-evil is not /srv/maps).
 */
export function realPathInside(file: string, allowed: readonly string[]): string {
  const real = fs.realpathSync(file);
  const roots = allowed.flatMap((dir) => {
    try {
      return [fs.realpathSync(dir)];
    } catch {
      return [];
    }
  });
  if (!roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) {
    throw new Error(`basemap file ${file} resolves to ${real}, outside the folders IT deployed maps in (${roots.join(', ')}). Put the file in the profile folder or name its folder in config.json or the machine policy.`);
  }
  return real;
}

/** Opens a PMTiles v3 archive after its real path and its header passed: no byte is served before. */
export function openCheckedPmtiles(file: string, allowed: readonly string[]): number {
  if (!fs.existsSync(file)) throw missing(file, 'PMTiles');
  const fd = fs.openSync(realPathInside(file, allowed), 'r');
  const head = readRange(fd, 0, 8);
  // PMTiles v3 spec: the header starts with the ASCII magic "PMTiles" and the version byte 3.
  if (head.subarray(0, 7).toString('latin1') !== 'PMTiles' || head[7] !== 3) {
    fs.closeSync(fd);
    throw new Error(`basemap file ${file} is not a PMTiles v3 archive (its first bytes are not "PMTiles" and version 3). Give a .pmtiles file built by pmtiles or planetiler.`);
  }
  return fd;
}

function openPmtiles(file: string, extraAttribution: string[], allowed: readonly string[]): BasemapFile {
  const fd = openCheckedPmtiles(file, allowed);
  const pm = new PMTiles(new FileSource(fd, 'vigie-basemap'));
  return {
    async describe() {
      const h = await pm.getHeader();
      const meta = (await pm.getMetadata()) as { name?: string; attribution?: string; vector_layers?: { id: string }[] };
      const layers = new Set((meta.vector_layers ?? []).map((l) => l.id));
      const tileType = h.tileType === TileType.Mvt ? 'mvt' : h.tileType === TileType.Png ? 'png' : h.tileType === TileType.Jpeg ? 'jpg' : h.tileType === TileType.Webp ? 'webp' : 'unknown';
      return {
        kind: 'pmtiles',
        name: meta.name ?? path.basename(file),
        tileType,
        schema: PROTOMAPS_V2_LAYERS.every((l) => layers.has(l)) ? 'protomaps-v2' : 'unknown',
        bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
        center: [(h.minLon + h.maxLon) / 2, (h.minLat + h.maxLat) / 2],
        minZoom: h.minZoom,
        maxZoom: h.maxZoom,
        attribution: [...(meta.attribution ? [stripHtml(meta.attribution)] : []), ...extraAttribution],
      };
    },
    bytes: (offset, length) => readRange(fd, offset, length),
    tile: () => null,
    close: () => fs.closeSync(fd),
  };
}

function openMbtiles(file: string, extraAttribution: string[], allowed: readonly string[]): BasemapFile {
  if (!fs.existsSync(file)) throw missing(file, 'MBTiles');
  const real = realPathInside(file, allowed);
  const fd = fs.openSync(real, 'r');
  const head = readRange(fd, 0, 16);
  fs.closeSync(fd);
  // SQLite file format: the first 16 bytes are "SQLite format 3\0"; MBTiles then needs its two tables.
  if (head.toString('latin1') !== 'SQLite format 3\0') throw new Error(`basemap file ${file} is not an MBTiles (SQLite) file. Give a .mbtiles file built by tippecanoe or mb-util.`);
  const db = openMbtilesDb(real);
  if (!db.tables.has('tiles') || !db.tables.has('metadata')) {
    db.close();
    throw new Error(`basemap file ${file} is a SQLite file without the MBTiles "tiles" and "metadata" tables. Give a .mbtiles file built by tippecanoe or mb-util.`);
  }
  const meta = db.metadata();
  const bounds = (meta.bounds ?? '-180,-85,180,85').split(',').map(Number) as [number, number, number, number];
  const format = meta.format ?? 'pbf';
  return {
    async describe() {
      const center = meta.center ? (meta.center.split(',').map(Number).slice(0, 2) as [number, number]) : ([(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2] as [number, number]);
      let layers: string[] = [];
      try { layers = ((JSON.parse(meta.json ?? '{}') as { vector_layers?: { id: string }[] }).vector_layers ?? []).map((l) => l.id); } catch { layers = []; }
      return {
        kind: 'mbtiles',
        name: meta.name ?? path.basename(file),
        tileType: format === 'pbf' ? 'mvt' : format === 'png' || format === 'jpg' || format === 'webp' ? format : 'unknown',
        schema: PROTOMAPS_V2_LAYERS.every((l) => layers.includes(l)) ? 'protomaps-v2' : 'unknown',
        bounds,
        center,
        minZoom: Number(meta.minzoom ?? 0),
        maxZoom: Number(meta.maxzoom ?? 14),
        attribution: [...(meta.attribution ? [stripHtml(meta.attribution)] : []), ...extraAttribution],
      };
    },
    bytes: () => Buffer.alloc(0),
    tile(z, x, y) {
      // MBTiles rows count from the south (TMS); the map asks in XYZ.
      const data = db.tile(z, x, (1 << z) - 1 - y);
      if (!data) return null;
      // MapLibre expects plain tiles through a protocol handler; MBTiles vector tiles are usually gzipped.
      return data[0] === 0x1f && data[1] === 0x8b ? zlib.gunzipSync(data) : data;
    },
    close: () => db.close(),
  };
}

/** Opens the basemap file; `allowed`: the folders it may really lie in (default: its own folder and the profile). */
export function openBasemap(config: BasemapConfig, profileDir: string, allowed?: readonly string[]): BasemapFile | null {
  if (config.type !== 'pmtiles' && config.type !== 'mbtiles') return null;
  const file = path.resolve(profileDir, config.path);
  const folders = allowed ?? [profileDir, path.dirname(file)];
  return config.type === 'pmtiles' ? openPmtiles(file, config.attribution ?? [], folders) : openMbtiles(file, config.attribution ?? [], folders);
}
