import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { buildCityPack } from '../city/packBuild';
import { sharedDataDir } from '../paths';
import { packRouter } from './packRouter';
import type { Router } from './router';

/**
 * Routes on the real Saint-Germain-en-Laye network (OSMnx export, ../shared/data/roads) against
 * shortest paths networkx computes in Python from the same file (roadsOracle.py): an oracle we
 * did not write, applying the rules of docs/routing.md on its own.
 */
const shared = sharedDataDir();
const ROADS = shared ? path.join(shared, 'roads', 'st_germain_en_laye_roads_osm.geojson') : null;
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasNetworkx = spawnSync(PYTHON, ['-c', 'import networkx'], { stdio: 'ignore' }).status === 0;
const SKIP = !ROADS || !fs.existsSync(ROADS)
  ? ' (skipped: ../shared/data/roads is absent)'
  : !hasNetworkx ? ' (skipped: python3-networkx is not installed; apt-get install python3-networkx)' : '';
const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');

type Pt = [number, number];
interface Oracle {
  routes: { mode: 'vehicle' | 'foot'; from: Pt; to: Pt; reachable: boolean; distanceM?: number; timeS?: number | null }[];
  oneway: { from: Pt; to: Pt; forwardM: number; forwardS: number; backM: number; backS: number }[];
}

describe.skipIf(SKIP !== '')(`routes over the real road network of Saint-Germain-en-Laye, checked with networkx${SKIP}`, () => {
  let pack = '';
  let router: Router;
  let oracle: Oracle;
  const at = ([lon, lat]: Pt) => ({ lon, lat });

  beforeAll(async () => {
    pack = path.join(tempDir('vigie-roads-'), 'pack');
    buildCityPack({ out: pack, id: 'sgl', name: 'Saint-Germain-en-Laye', attribution: ['© OpenStreetMap contributors'], roads: ROADS! });
    router = packRouter(pack)!;
    const { stdout } = await run(PYTHON, [path.join(__dirname, 'roadsOracle.py'), ROADS!, '40'], { maxBuffer: 16 << 20 });
    oracle = JSON.parse(stdout) as Oracle;
  }, 120_000);

  it('finds the same fastest drive and the same shortest walk as networkx between 80 sampled junctions', () => {
    const reachable = oracle.routes.filter((r) => r.reachable);
    expect(reachable.length).toBeGreaterThan(60);
    for (const r of oracle.routes) {
      const got = router.route(r.mode, at(r.from), at(r.to));
      const label = `${r.mode} ${r.from.join(',')} → ${r.to.join(',')}`;
      if (!r.reachable) {
        expect(got, label).toBeNull();
        continue;
      }
      expect(got, label).not.toBeNull();
      expect(got!.distanceM, label).toBeCloseTo(r.distanceM!, 0);
      if (r.mode === 'vehicle') expect(got!.timeS, label).toBeCloseTo(r.timeS!, 0);
      // The drawn route starts and ends at the asked points.
      expect(got!.path[0]).toEqual(r.from);
      expect(got!.path.at(-1)).toEqual(r.to);
    }
  });

  it('honours one-way streets: along one, the street itself; against it, the way round networkx finds', () => {
    expect(oracle.oneway.length).toBeGreaterThanOrEqual(20);
    for (const w of oracle.oneway) {
      const fwd = router.route('vehicle', at(w.from), at(w.to))!;
      const back = router.route('vehicle', at(w.to), at(w.from))!;
      expect(fwd.distanceM).toBeCloseTo(w.forwardM, 0);
      expect(back.distanceM).toBeCloseTo(w.backM, 0);
      expect(back.timeS).toBeCloseTo(w.backS, 0);
      expect(back.distanceM).toBeGreaterThan(fwd.distanceM);
      // A walker is not bound by the one-way sign: straight back along the street.
      expect(router.route('foot', at(w.to), at(w.from))!.distanceM).toBeLessThanOrEqual(fwd.distanceM + 0.01);
    }
  });

  it('vigie route prints the road distance and the travel time, as "N m" and "N s"', async () => {
    const w = oracle.oneway[0]!;
    const { stdout } = await run(process.execPath, [bin, 'route', '--pack', pack, '--from', w.to.join(','), '--to', w.from.join(',')], { encoding: 'utf8' });
    expect(stdout).toBe(`${Math.round(w.backM)} m\n${Math.round(w.backS)} s\n`);
    const far = await run(process.execPath, [bin, 'route', '--pack', pack, '--from', '5.37,43.29', '--to', w.from.join(',')], { encoding: 'utf8' }).catch((e: { code: number; stderr: string }) => e);
    expect(far).toMatchObject({ code: 1, stderr: expect.stringMatching(/--from is more than 500 m from any drivable road of the pack/) });
  }, 60_000);

  it('keeps the pack compact: a CSR graph under 100 bytes a walkable edge, streets drawn from tiles', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8'));
    expect(manifest.roads).toMatchObject({ graph: 'roads.graph', nodes: 3778 });
    expect(manifest.roads.edges.vehicle).toBeGreaterThan(4000);
    expect(manifest.roads.bytes / manifest.roads.edges.foot).toBeLessThan(100);
    expect(manifest.tiles.layers).toContain('roads');
  });
});
