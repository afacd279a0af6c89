import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import type { Basemap } from '../../../common/methods/basemap';
import type { BasemapConfig } from '../config';

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

function openPmtiles(file: string, extraAttribution: string[]): BasemapFile {
  if (!fs.existsSync(file)) throw missing(file, 'PMTiles');
  const fd = fs.openSync(file, 'r');
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

function openMbtiles(file: string, extraAttribution: string[]): BasemapFile {
  if (!fs.existsSync(file)) throw missing(file, 'MBTiles');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
  const tileStmt = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
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
      const row = tileStmt.get(z, x, (1 << z) - 1 - y) as { data: Buffer } | undefined;
      if (!row) return null;
      // MapLibre expects plain tiles through a protocol handler; MBTiles vector tiles are usually gzipped.
      return row.data[0] === 0x1f && row.data[1] === 0x8b ? zlib.gunzipSync(row.data) : row.data;
    },
    close: () => db.close(),
  };
}

export function openBasemap(config: BasemapConfig, profileDir: string): BasemapFile | null {
  if (config.type !== 'pmtiles' && config.type !== 'mbtiles') return null;
  const file = path.resolve(profileDir, config.path);
  return config.type === 'pmtiles' ? openPmtiles(file, config.attribution ?? []) : openMbtiles(file, config.attribution ?? []);
}
