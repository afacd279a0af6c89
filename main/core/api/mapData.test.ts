import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { ingestBatch } from '../ingest/ingest';
import { sharedDataDir } from '../paths';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function openCore(config?: unknown): VigieCore {
  const dir = tempDir();
  if (config) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const core = new VigieCore(dir, { profileDir: dir, demo: false });
  cores.push(core);
  return core;
}

async function call(core: VigieCore, method: string, params: unknown = {}) {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role: 'supervisor', user: 'test', origin: 'test' })) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as never;
}

describe('forecasts.latest', () => {
  it('forecasts per area cell from the cached incidents, ranking the busy place first, with an interval', async () => {
    const core = openCore();
    const hour = 3_600_000;
    const now = Date.now();
    const features = [
      // A hotspot on the Vieux-Port: 30 incidents over the last days; 3 scattered elsewhere.
      ...Array.from({ length: 30 }, (_, i) => incidentFeature(`H${i}`, { occurredAt: new Date(now - (i + 1) * 5 * hour).toISOString() }, [5.3747, 43.2951])),
      ...[[5.40, 43.28], [5.36, 43.31], [5.39, 43.33]].map(([lon, lat], i) => incidentFeature(`S${i}`, { occurredAt: new Date(now - (i + 2) * 24 * hour).toISOString() }, [lon!, lat!])),
    ];
    const parsed = geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: now });
    ingestBatch(core.store, { id: 'city', simulated: false }, parsed, now);

    const forecast = (await call(core, 'forecasts.latest', { horizonHours: 24 })) as { basedOn: number; cellM: number; cells: { west: number; east: number; south: number; north: number; expected: number; low: number; high: number; rank: number }[] };
    expect(forecast.basedOn).toBe(33);
    expect(forecast.cells.length).toBeGreaterThan(0);
    const top = forecast.cells[0]!;
    expect(top.rank).toBe(1);
    expect(5.3747).toBeGreaterThanOrEqual(top.west);
    expect(5.3747).toBeLessThan(top.east);
    expect(43.2951).toBeGreaterThanOrEqual(top.south);
    expect(43.2951).toBeLessThan(top.north);
    expect(top.low).toBeLessThanOrEqual(top.expected);
    expect(top.high).toBeGreaterThanOrEqual(top.expected);
    // Area cells only: nothing in the answer names an incident.
    expect(JSON.stringify(forecast)).not.toMatch(/H0|Incident /);
  });

  it('an empty cache gives an empty forecast, not an error', async () => {
    const core = openCore();
    const forecast = (await call(core, 'forecasts.latest', {})) as { cells: unknown[]; horizonHours: number };
    expect(forecast).toMatchObject({ cells: [], horizonHours: 24 });
  });
});

describe('offline basemaps', () => {
  const firenze = sharedDataDir() ? path.join(sharedDataDir()!, 'basemap', 'firenze_protomaps_vector_ODbL.pmtiles') : null;

  it.skipIf(!firenze || !fs.existsSync(firenze))('describes a Protomaps PMTiles file and serves its bytes (skipped without ../shared/data)', async () => {
    const core = openCore({ basemap: { type: 'pmtiles', path: firenze } });
    const basemap = (await call(core, 'map.basemap')) as { kind: string; schema: string; tileType: string; bounds: number[]; attribution: string[] };
    expect(basemap).toMatchObject({ kind: 'pmtiles', schema: 'protomaps-v2', tileType: 'mvt' });
    expect(basemap.bounds[0]).toBeCloseTo(11.154, 2);
    expect(basemap.attribution.join(' ')).toMatch(/OpenStreetMap/);
    const { base64 } = (await call(core, 'map.basemapBytes', { offset: 0, length: 7 })) as { base64: string };
    expect(Buffer.from(base64, 'base64').toString()).toBe('PMTiles');
  });

  it('serves MBTiles tiles in XYZ numbering, unzipped', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'city.mbtiles'));
    db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);');
    db.prepare('INSERT INTO metadata VALUES (?, ?)').run('format', 'pbf');
    db.prepare('INSERT INTO metadata VALUES (?, ?)').run('bounds', '5.2,43.1,5.6,43.4');
    db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)').run(2, 1, 3 - 1, zlib.gzipSync(Buffer.from('tile-2-1-1')));
    db.close();
    const core = openCore({ basemap: { type: 'mbtiles', path: path.join(dir, 'city.mbtiles') } });
    expect(await call(core, 'map.basemap')).toMatchObject({ kind: 'mbtiles', tileType: 'mvt', bounds: [5.2, 43.1, 5.6, 43.4] });
    const { base64 } = (await call(core, 'map.basemapTile', { z: 2, x: 1, y: 1 })) as { base64: string };
    expect(Buffer.from(base64, 'base64').toString()).toBe('tile-2-1-1');
    expect(await call(core, 'map.basemapTile', { z: 2, x: 0, y: 0 })).toEqual({ base64: null });
  });

  it('a missing basemap file is reported with what to fix', async () => {
    const core = openCore({ basemap: { type: 'pmtiles', path: 'nowhere.pmtiles' } });
    await expect(call(core, 'map.basemap')).rejects.toThrow(/nowhere\.pmtiles does not exist.*basemap\.path/);
  });

  it('without a basemap setting the built-in map is used', async () => {
    expect(await call(openCore(), 'map.basemap')).toEqual({ kind: 'builtin' });
  });
});
