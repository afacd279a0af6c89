import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCityPack, readCityPackDir } from './packBuild';
import { loadCityPackDir } from './cityPack';
import { sharedDataDir } from '../paths';
import { tempDir } from '../../../test/helpers';

const marseille = sharedDataDir() ? path.join(sharedDataDir()!, 'marseille') : null;
const hasMarseille = !!marseille && fs.existsSync(path.join(marseille, 'quartiers_111.geojson'));

describe('building a city pack', () => {
  it.skipIf(!hasMarseille)('builds the Marseille pack: 111 quartiers, metro stations, M1/M2 in their official colours, monuments (skipped without ../shared/data)', async () => {
    const out = path.join(tempDir(), 'marseille');
    buildCityPack({
      out, id: 'marseille', name: 'Marseille',
      districts: path.join(marseille!, 'quartiers_111.geojson'), districtNameField: 'nom_qua',
      stations: path.join(marseille!, 'rtm_metro_gtfs'), pois: path.join(marseille!, 'monuments.geojson'),
      attribution: ['Ville de Marseille', 'Métropole Aix-Marseille-Provence', '© OpenStreetMap contributors'],
    });
    const { manifest, parts } = readCityPackDir(out);
    expect(manifest).toMatchObject({ id: 'marseille', name: 'Marseille', counts: { districts: 111, pois: 113 } });
    expect(manifest.lines.map((l) => [l.name, l.color])).toEqual([['M1', '#009FE3'], ['M2', '#E30613']]);
    expect(manifest.counts.stations).toBeGreaterThan(25);
    expect(parts.districts!.features.map((f) => f.properties?.name)).toContain('LA JOLIETTE');
    // Only names travel with the geometry.
    expect(Object.keys(parts.districts!.features[0]!.properties!)).toEqual(['name']);
    expect(manifest.center[0]).toBeGreaterThan(5.3);
    expect(manifest.center[0]).toBeLessThan(5.5);

    // The map reads it back as a city pack, with Natural Earth land since none was given.
    const city = loadCityPackDir(out);
    expect(city.districts.features).toHaveLength(111);
    expect(city.attribution).toEqual(['Natural Earth', 'Ville de Marseille', 'Métropole Aix-Marseille-Provence', '© OpenStreetMap contributors']);
    expect(city.land.features.length).toBeGreaterThan(0);
  });

  it('refuses a districts file whose features are not polygons, naming the feature', () => {
    const dir = tempDir();
    const file = path.join(dir, 'd.geojson');
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5, 43] }, properties: {} }] }));
    expect(() => buildCityPack({ out: path.join(dir, 'out'), id: 'x', name: 'X', districts: file, attribution: [] })).toThrow(/districts: feature 0 has a Point geometry; expected Polygon or MultiPolygon/);
    expect(fs.existsSync(path.join(dir, 'out', 'manifest.json'))).toBe(false);
  });

  it('says what is missing when given nothing or a file that is not GeoJSON', () => {
    const dir = tempDir();
    expect(() => buildCityPack({ out: dir, id: 'x', name: 'X', attribution: [] })).toThrow(/give at least one of --districts/);
    fs.writeFileSync(path.join(dir, 'bad.geojson'), '{"type":"Feature"}');
    expect(() => buildCityPack({ out: dir, id: 'x', name: 'X', pois: path.join(dir, 'bad.geojson'), attribution: [] })).toThrow(/not a GeoJSON FeatureCollection/);
  });
});
