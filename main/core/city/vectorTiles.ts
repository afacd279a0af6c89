import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { TileInput } from './pmtilesWriter';

type FC = { type: 'FeatureCollection'; features: unknown[] };

const EXTENT = 4096;

function tileX(lon: number, z: number): number {
  return Math.min(2 ** z - 1, Math.max(0, Math.floor(((lon + 180) / 360) * 2 ** z)));
}

function tileY(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  return Math.min(2 ** z - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z)));
}

/**
 * Cuts GeoJSON layers into Mapbox Vector Tiles (one MVT layer per entry, named by its key) for
 * every tile over `bounds` from minZoom to maxZoom, skipping empty tiles. geojson-vt simplifies
 * per zoom, so low zooms stay light however large the input.
 */
export function* vectorTiles(layers: Record<string, FC>, bounds: [number, number, number, number], minZoom: number, maxZoom: number): Generator<TileInput> {
  const indexes = Object.entries(layers).map(([name, fc]) => [name, new GeoJSONVT(fc as unknown as GeoJSON.FeatureCollection, { maxZoom, indexMaxZoom: maxZoom, extent: EXTENT, buffer: 64, tolerance: 3 })] as const);
  for (let z = minZoom; z <= maxZoom; z++) {
    const [x0, x1] = [tileX(bounds[0], z), tileX(bounds[2], z)];
    const [y0, y1] = [tileY(bounds[3], z), tileY(bounds[1], z)];
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const found: Record<string, NonNullable<ReturnType<GeoJSONVT['getTile']>>> = {};
        for (const [name, index] of indexes) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length > 0) found[name] = tile;
        }
        if (Object.keys(found).length > 0) yield { z, x, y, data: fromGeojsonVt(found, { version: 2, extent: EXTENT }) };
      }
    }
  }
}
