import fs from 'node:fs';
import path from 'node:path';
import { buildRoadGraph, writeRoadGraph } from './roadGraph';
import { tagValues, VEHICLE_SPEED_KMH } from './roadRules';

/** What a pack's manifest says of its roads. */
export interface PackRoads {
  /** The routing graph file in the pack folder. */
  graph: string;
  nodes: number;
  /** Directed edges per travel mode. */
  edges: { vehicle: number; foot: number };
  /** Features of the input that are not roads (no highway tag, not a line). */
  skipped: number;
  bytes: number;
}

type Feature = { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
const MAJOR = new Set(['motorway', 'trunk', 'primary', 'secondary', 'motorway_link', 'trunk_link', 'primary_link', 'secondary_link']);

/** How the basemap draws a class: major roads, streets a car can take, paths for walkers. */
function kindOf(classes: string[]): 'major' | 'street' | 'path' {
  if (classes.some((c) => MAJOR.has(c))) return 'major';
  return classes.every((c) => c in VEHICLE_SPEED_KMH) ? 'street' : 'path';
}

const round = (c: [number, number][]) => c.map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]);

/**
 * Reads a road network for `vigie pack build --roads`: the streets to draw (name and kind only,
 * one line per street segment, not per direction) and the routing graph, written on demand.
 */
export function readRoads(file: string): { streets: { type: 'FeatureCollection'; features: Feature[] }; write(outDir: string): PackRoads } {
  if (!fs.existsSync(file)) throw new Error(`roads: ${file} does not exist.`);
  let json: { type?: string; features?: unknown[] };
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`roads: ${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) throw new Error(`roads: ${file} is not a GeoJSON FeatureCollection of road lines.`);
  let report;
  try {
    report = buildRoadGraph(json.features as never[]);
  } catch (error) {
    throw new Error(`roads: ${file}: ${(error as Error).message}`, { cause: error });
  }
  const seen = new Set<string>();
  const features: Feature[] = [];
  for (const line of report.lines) {
    // OSMnx gives a two-way street twice, once per direction: draw it once.
    const a = line.coords[0]!, b = line.coords[line.coords.length - 1]!;
    const ends = [`${a[0]},${a[1]}`, `${b[0]},${b[1]}`].sort().join('|') + `|${line.coords.length}`;
    if (seen.has(ends)) continue;
    seen.add(ends);
    const name = tagValues(line.tags.name)[0];
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: round(line.coords) }, properties: { kind: kindOf(tagValues(line.tags.highway)), ...(name ? { name } : {}) } });
  }
  const g = report.graph;
  return {
    streets: { type: 'FeatureCollection', features },
    write(outDir) {
      const bytes = writeRoadGraph(path.join(outDir, 'roads.graph'), g);
      return { graph: 'roads.graph', nodes: g.lon.length, edges: { vehicle: g.modes.vehicle.targets.length, foot: g.modes.foot.targets.length }, skipped: report.skipped.length, bytes };
    },
  };
}
