import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import pack from './pack';
import route from './route';
import { tempDir } from '../../../test/helpers';

/** Three OSM ways as ogr2ogr writes them: a two-way street (2 directed edges), a one-way street (1) and a footpath (walkers only); 3 junctions. */
const roads = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { highway: 'residential', name: 'Rue A', maxspeed: '30' }, geometry: { type: 'LineString', coordinates: [[2.0, 48.9], [2.001, 48.9], [2.002, 48.9]] } },
    { type: 'Feature', properties: { highway: 'residential', name: 'Rue B', oneway: 'yes' }, geometry: { type: 'LineString', coordinates: [[2.002, 48.9], [2.002, 48.901]] } },
    { type: 'Feature', properties: { highway: 'footway' }, geometry: { type: 'LineString', coordinates: [[2.002, 48.901], [2.0, 48.9]] } },
  ],
};

async function captured(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  try {
    return { code: await run(), out };
  } finally {
    write.mockRestore();
  }
}

describe('vigie pack build --roads, then vigie route', () => {
  it('builds the routing graph from the command line and routes over it, one-way honoured', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'roads.geojson');
    fs.writeFileSync(file, JSON.stringify(roads));
    const built = await captured(() => pack.run(['build', '--out', path.join(dir, 'pack'), '--name', 'Mini', '--roads', file]));
    expect(built.code).toBe(0);
    expect(built.out).toMatch(/Roads: 3 junctions, 3 drivable and 6 walkable directed edges in roads\.graph/);
    expect(fs.existsSync(path.join(dir, 'pack', 'roads.graph'))).toBe(true);
    // Along Rue B the way it goes: about 111 m; against it a car must find another way, and there is none.
    const along = await captured(() => route.run(['--pack', path.join(dir, 'pack'), '--from', '2.002,48.9', '--to', '2.002,48.901']));
    expect(along.code).toBe(0);
    expect(along.out).toMatch(/^11\d m/m);
    const against = await captured(() => route.run(['--pack', path.join(dir, 'pack'), '--from', '2.002,48.901', '--to', '2.002,48.9']));
    expect(against.code).not.toBe(0);
  });
});
