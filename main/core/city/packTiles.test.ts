import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PMTiles, tileIdToZxy, zxyToTileId, type RangeResponse, type Source } from 'pmtiles';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { buildCityPack, readCityPackDir } from './packBuild';
import { loadCityPackDir } from './cityPack';
import { writePmtiles } from './pmtilesWriter';
import { seededRandom } from '../../../common/random';
import { tempDir } from '../../../test/helpers';

/** The `pmtiles` package's own reader, on a file. */
function reader(file: string): PMTiles {
  const bytes = fs.readFileSync(file);
  const source: Source = {
    getKey: () => file,
    getBytes: async (offset: number, length: number): Promise<RangeResponse> => ({ data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer }),
  };
  return new PMTiles(source);
}

const tileOf = (lon: number, lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lon + 180) / 360) * 2 ** z), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z) };
};

/** 12,000 points of interest over Marseille (more than a pack carries as GeoJSON), one of them known. */
function manyPois(dir: string): string {
  const random = seededRandom(11);
  const features = Array.from({ length: 12_000 }, (_, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: i === 0 ? [5.37468, 43.29519] : [5.30 + random() * 0.2, 43.22 + random() * 0.15] },
    properties: { name: i === 0 ? 'Hôtel de Ville' : `POI ${i}`, owner: 'not kept' },
  }));
  const file = path.join(dir, 'pois.geojson');
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return file;
}

describe('vector-tiling the large parts of a city pack into PMTiles', () => {
  it('tiles a large POI file (auto), and the pmtiles reader finds each point, with its name only, in the tile where it lies', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'pack');
    const manifest = buildCityPack({ out, id: 'big', name: 'Big', pois: manyPois(dir), attribution: ['Test data'] });
    expect(manifest.tiles).toMatchObject({ file: 'pack.pmtiles', layers: ['pois'], maxZoom: 14 });
    expect(manifest.counts.pois).toBe(12_000);
    expect(manifest.files.pois).toBeUndefined();
    expect(fs.existsSync(path.join(out, 'pois.geojson'))).toBe(false);

    const pm = reader(path.join(out, 'pack.pmtiles'));
    const header = await pm.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: 1, tileCompression: 2, internalCompression: 2, clustered: true, minZoom: manifest.tiles!.minZoom, maxZoom: 14 });
    expect(header.minLon).toBeCloseTo(manifest.bounds[0], 4);
    expect(header.maxLat).toBeCloseTo(manifest.bounds[3], 4);
    expect(header.numAddressedTiles).toBe(manifest.tiles!.count);
    expect(await pm.getMetadata()).toMatchObject({ name: 'Big', attribution: 'Test data', vector_layers: [{ id: 'pois' }] });

    // The Hôtel de Ville, at zoom 14 and at the lowest zoom: in its tile, named, nothing else kept.
    for (const z of [14, manifest.tiles!.minZoom]) {
      const { x, y } = tileOf(5.37468, 43.29519, z);
      const tile = await pm.getZxy(z, x, y);
      expect(tile, `tile ${z}/${x}/${y}`).toBeDefined();
      const layer = new VectorTile(new PbfReader(new Uint8Array(tile!.data))).layers.pois!;
      const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
      const hotel = features.find((f) => f.properties.name === 'Hôtel de Ville');
      expect(hotel).toBeDefined();
      expect(Object.keys(hotel!.properties)).toEqual(['name']);
      const [lon, lat] = (hotel!.toGeoJSON(x, y, z).geometry as { coordinates: number[] }).coordinates;
      expect(lon).toBeCloseTo(5.37468, z === 14 ? 4 : 2);
      expect(lat).toBeCloseTo(43.29519, z === 14 ? 4 : 2);
    }
    // Every point is in the zoom-14 tiles.
    let points = 0;
    const names = new Set<string>();
    for (let z = 14, t = tileOf(manifest.bounds[0], manifest.bounds[3], z), b = tileOf(manifest.bounds[2], manifest.bounds[1], z), x = t.x; x <= b.x; x++) {
      for (let y = t.y; y <= b.y; y++) {
        const tile = await pm.getZxy(z, x, y);
        if (!tile) continue;
        const layer = new VectorTile(new PbfReader(new Uint8Array(tile.data))).layers.pois!;
        for (let i = 0; i < layer.length; i++) names.add(String(layer.feature(i).properties.name));
        points += layer.length;
      }
    }
    expect(names.size).toBe(12_000);
    expect(points).toBeGreaterThanOrEqual(12_000);

    // The app reads the pack back with the tiled layer named, and no POI GeoJSON to ship.
    const city = loadCityPackDir(out);
    expect(city.tiles).toEqual({ layers: ['pois'], minZoom: manifest.tiles!.minZoom, maxZoom: 14 });
    expect(city.pois?.features ?? []).toHaveLength(0);
    expect(readCityPackDir(out).parts.pois).toBeUndefined();
  });

  it('keeps a small POI file as GeoJSON unless told to tile it, and never tiles with --tiles never', () => {
    const dir = tempDir();
    const small = path.join(dir, 'small.geojson');
    fs.writeFileSync(small, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5.37, 43.29] }, properties: { name: 'A' } }] }));
    expect(buildCityPack({ out: path.join(dir, 'a'), id: 'a', name: 'A', pois: small, attribution: [] }).tiles).toBeUndefined();
    expect(buildCityPack({ out: path.join(dir, 'b'), id: 'b', name: 'B', pois: small, attribution: [], tiles: 'always' }).tiles).toMatchObject({ layers: ['pois'] });
    expect(buildCityPack({ out: path.join(dir, 'c'), id: 'c', name: 'C', pois: manyPois(dir), attribution: [], tiles: 'never' }).files.pois).toBe('pois.geojson');
  });

  it('an archive whose directory outgrows the first 16 KiB gets leaf directories, and every tile is still found', async () => {
    const random = seededRandom(5);
    const seen = new Set<number>();
    const tiles: { z: number; x: number; y: number; data: Uint8Array }[] = [];
    while (tiles.length < 10_000) {
      const x = Math.floor(random() * 2 ** 16), y = Math.floor(random() * 2 ** 16);
      if (seen.has(zxyToTileId(16, x, y))) continue;
      seen.add(zxyToTileId(16, x, y));
      tiles.push({ z: 16, x, y, data: new TextEncoder().encode(`tile ${x}/${y}`) });
    }
    const file = path.join(tempDir(), 'leaves.pmtiles');
    const written = writePmtiles(file, tiles, { tileType: 'mvt', bounds: [-180, -85, 180, 85], minZoom: 16, maxZoom: 16, center: [0, 0], centerZoom: 16, metadata: {} });
    expect(written).toMatchObject({ tiles: 10_000, contents: 10_000 });
    const pm = reader(file);
    const header = await pm.getHeader();
    expect(header.leafDirectoryLength).toBeGreaterThan(0);
    expect(header.rootDirectoryOffset + header.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    for (const t of [tiles[0]!, tiles[4_321]!, tiles[9_999]!]) {
      const got = await pm.getZxy(t.z, t.x, t.y);
      expect(new TextDecoder().decode(got!.data)).toBe(`tile ${t.x}/${t.y}`);
    }
    // A tile that was not written is absent, not some neighbour's.
    let missing = zxyToTileId(16, 0, 0);
    while (seen.has(missing)) missing++;
    const [mz, mx, my] = tileIdToZxy(missing);
    expect(mz).toBe(16);
    expect(await pm.getZxy(mz, mx, my)).toBeUndefined();
  });
});
