#!/usr/bin/env node
// Ranking units by drive time over a real road network (Saint-Germain-en-Laye, OSMnx export in
// ../shared/data/roads): one reversed search per travel mode from the incident, every unit snapped
// on the node grid. Prints ms per ranking at N units, and the ratio to the straight-line ranking of
// the same units measured in the same run. Target: under 50 ms at 500 units.
//   node bench/routing.mjs [--units 500] [--runs 50]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const roads = path.resolve(root, '..', 'shared', 'data', 'roads', 'st_germain_en_laye_roads_osm.geojson');
if (!fs.existsSync(roads)) {
  console.log(JSON.stringify({ bench: 'routing', skipped: `${roads} is absent: this bench needs the shared real data` }));
  process.exit(0);
}
const script = `
import { performance } from 'node:perf_hooks';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { buildCityPack } from './main/core/city/packBuild.ts';
import { rankUnits } from './main/core/dispatch/rank.ts';
import { straightLineEta } from './main/core/dispatch/eta.ts';
import { packEtaModel } from './main/core/routing/roadEta.ts';
const [roads, nUnits, runs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-')), 'pack');
let t = performance.now();
const manifest = buildCityPack({ out, id: 'sgl', name: 'Saint-Germain-en-Laye', attribution: [], roads });
const buildMs = performance.now() - t;
const model = packEtaModel(out);
let seed = 7; const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const now = Date.now();
const units = Array.from({ length: nUnits }, (_, i) => ({ id: 'avl:U' + i, feedId: 'avl', unitId: 'U' + i, callsign: 'U ' + i, unitType: i % 5 ? 'vehicle' : 'person', lon: 2.06 + random() * 0.05, lat: 48.88 + random() * 0.04, t: now, status: 'available', simulated: false, updatedAt: now, seq: i }));
const incidents = Array.from({ length: runs }, (_, i) => ({ id: 'city:' + i, feedId: 'city', externalId: String(i), category: 'fire', priority: 1, status: 'new', title: 'x', lon: 2.065 + random() * 0.04, lat: 48.885 + random() * 0.03, occurredAt: now, simulated: false, updatedAt: now, seq: i }));
t = performance.now(); rankUnits(incidents[0], units, [], model, now); const firstMs = performance.now() - t; // includes reading the graph
const measure = (m) => { const times = incidents.map((inc) => { const s = performance.now(); rankUnits(inc, units, [], m, now); return performance.now() - s; }); times.sort((a, b) => a - b); return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] }; };
measure(model); measure(straightLineEta); // warm-up
const road = measure(model), straight = measure(straightLineEta);
const byRoad = rankUnits(incidents[0], units, [], model, now).units.filter((u) => u.via === 'road').length;
console.log(JSON.stringify({ bench: 'routing', units: nUnits, byRoad, runs, nodes: manifest.roads.nodes, edges: manifest.roads.edges, graphBytes: manifest.roads.bytes, packBuildMs: Math.round(buildMs), firstRankMs: +firstMs.toFixed(1), roadRankMedianMs: +road.median.toFixed(2), roadRankP95Ms: +road.p95.toFixed(2), straightRankMedianMs: +straight.median.toFixed(3), ratioRoadToStraight: +(road.median / straight.median).toFixed(1), targetMs: 50, ok: road.p95 < 50 }));
`;
execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', roads, arg('units', '500'), arg('runs', '50')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
