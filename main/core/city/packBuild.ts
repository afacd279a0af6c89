import fs from 'node:fs';
import path from 'node:path';
import { writePmtiles } from './pmtilesWriter';
import { vectorTiles } from './vectorTiles';
import { buildPackSearch, writePackSearch, type PackSearchBuild } from '../search/packSearch';
import { readRoads, type PackRoads } from '../routing/packRoads';

type Geometry = { type: string; coordinates: unknown };
type Feature = { type: 'Feature'; geometry: Geometry | null; properties: Record<string, unknown> | null };
type FC = { type: 'FeatureCollection'; features: Feature[] };

/** What `vigie pack build` writes: manifest.json beside one GeoJSON file per part. */
export interface PackManifest {
  format: 'vigie-city-pack/1';
  id: string;
  name: string;
  center: [number, number];
  zoom: number;
  bounds: [number, number, number, number];
  attribution: string[];
  /** Transit lines with their official colours (GTFS routes.txt). */
  lines: { id: string; name: string; longName: string; color: string }[];
  files: { districts?: string; stations?: string; pois?: string; land?: string };
  counts: { districts: number; stations: number; pois: number };
  /** Parts too large to ship as GeoJSON, vector-tiled into one PMTiles archive (one MVT layer per part). */
  tiles?: { file: string; layers: TiledPart[]; minZoom: number; maxZoom: number; count: number };
  /** The search box's part (main/core/search/packSearch.ts): streets, house numbers, places. */
  search?: { file: string; streets: number; addresses: number; places: number; skipped: number };
  /** The road network (--roads): its routing graph file; the streets are drawn from the `roads` tile layer. */
  roads?: PackRoads;
}

/** Parts that may be tiled. Districts stay GeoJSON: the indicators and district labels read them whole. */
export type TiledPart = 'stations' | 'pois' | 'land' | 'roads';
const TILEABLE: readonly string[] = ['stations', 'pois', 'land'];
/** A part is "large" (tiled in --tiles auto) from this many features or bytes of GeoJSON. */
export const LARGE_FEATURES = 5_000;
export const LARGE_BYTES = 4 * 1024 * 1024;
/** Tiles stop here; MapLibre over-zooms the last level. */
const TILES_MAX_ZOOM = 14;

export interface PackInputs {
  out: string;
  id: string;
  name: string;
  districts?: string;
  /** Property holding the district name; the first of name/nom/nom_qua/NAME present otherwise. */
  districtNameField?: string;
  /** A GTFS folder (stops.txt, routes.txt) or a GeoJSON file of points. */
  stations?: string;
  pois?: string;
  land?: string;
  attribution: string[];
  /** auto (default): vector-tile the large parts; always: every stations/pois/land part; never. */
  tiles?: 'auto' | 'always' | 'never';
  /** For the search box: streets (GeoJSON lines/points, or a street index JSON), a BAN-style address CSV, places (GeoJSON points). */
  streets?: string;
  addresses?: string;
  places?: string;
  /** GeoJSON road lines with OSM tags: drawn as named streets (always tiled) and built into a routing graph. */
  roads?: string;
}

const NAME_FIELDS = ['name', 'nom', 'nom_qua', 'NAME', 'Name', 'libelle'];

function readGeoJson(file: string, what: string): FC {
  if (!fs.existsSync(file)) throw new Error(`${what}: ${file} does not exist.`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${what}: ${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  const fc = json as FC;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${what}: ${file} is not a GeoJSON FeatureCollection.`);
  return fc;
}

/** 5 decimals is about a metre: plenty for outlines and stations, a fraction of the bytes. */
function round(coords: unknown): unknown {
  return Array.isArray(coords) ? coords.map(round) : typeof coords === 'number' ? Math.round(coords * 1e5) / 1e5 : coords;
}

function nameOf(props: Record<string, unknown> | null, field?: string): string | undefined {
  if (!props) return undefined;
  const key = field ?? NAME_FIELDS.find((k) => typeof props[k] === 'string');
  const v = key ? props[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Keeps geometry and a name only: a city pack carries places, never people or free text. */
function slim(fc: FC, what: string, types: string[], nameField?: string): FC {
  const features: Feature[] = [];
  fc.features.forEach((f, i) => {
    if (!f.geometry || !types.includes(f.geometry.type)) {
      throw new Error(`${what}: feature ${i} has ${f.geometry ? `a ${f.geometry.type}` : 'no'} geometry; expected ${types.join(' or ')}.`);
    }
    const name = nameOf(f.properties, nameField);
    features.push({ type: 'Feature', geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) }, properties: name ? { name } : {} });
  });
  return { type: 'FeatureCollection', features };
}

/** Minimal CSV reader for GTFS (quoted fields allowed, no embedded newlines). */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const cols = split(header ?? '');
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [cols[i] ?? `col${i}`, v])));
}

function gtfsStations(dir: string): { stations: FC; lines: PackManifest['lines'] } {
  const stopsFile = path.join(dir, 'stops.txt');
  if (!fs.existsSync(stopsFile)) throw new Error(`stations: ${dir} has no stops.txt; give a GTFS folder or a GeoJSON file of points.`);
  const seen = new Set<string>();
  const features: Feature[] = [];
  for (const s of readCsv(stopsFile)) {
    const lon = Number(s.stop_lon), lat = Number(s.stop_lat);
    // One point per named station, not one per platform or entrance.
    if (!s.stop_name || seen.has(s.stop_name) || !Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    seen.add(s.stop_name);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: round([lon, lat]) as number[] }, properties: { name: s.stop_name } });
  }
  const routesFile = path.join(dir, 'routes.txt');
  const lines = fs.existsSync(routesFile)
    ? readCsv(routesFile).map((r) => ({ id: r.route_id ?? '', name: r.route_short_name ?? '', longName: r.route_long_name ?? '', color: `#${(r.route_color || '7f8ea3').toUpperCase()}` }))
    : [];
  return { stations: { type: 'FeatureCollection', features }, lines };
}

function extend(bbox: [number, number, number, number], coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') {
    const [x, y] = coords as number[];
    bbox[0] = Math.min(bbox[0], x!); bbox[1] = Math.min(bbox[1], y!); bbox[2] = Math.max(bbox[2], x!); bbox[3] = Math.max(bbox[3], y!);
  } else for (const c of coords) extend(bbox, c);
}

/** Turns GeoJSON/GTFS inputs into a city pack folder. Returns the manifest written. */
export function buildCityPack(inputs: PackInputs): PackManifest {
  const parts: { key: 'districts' | 'stations' | 'pois' | 'land'; fc: FC }[] = [];
  let lines: PackManifest['lines'] = [];
  if (inputs.districts) parts.push({ key: 'districts', fc: slim(readGeoJson(inputs.districts, 'districts'), 'districts', ['Polygon', 'MultiPolygon'], inputs.districtNameField) });
  if (inputs.stations) {
    if (fs.existsSync(inputs.stations) && fs.statSync(inputs.stations).isDirectory()) {
      const g = gtfsStations(inputs.stations);
      parts.push({ key: 'stations', fc: g.stations });
      lines = g.lines;
    } else parts.push({ key: 'stations', fc: slim(readGeoJson(inputs.stations, 'stations'), 'stations', ['Point']) });
  }
  if (inputs.pois) parts.push({ key: 'pois', fc: slim(readGeoJson(inputs.pois, 'pois'), 'pois', ['Point']) });
  if (inputs.land) parts.push({ key: 'land', fc: slim(readGeoJson(inputs.land, 'land'), 'land', ['Polygon', 'MultiPolygon']) });
  const search: PackSearchBuild | null = inputs.streets || inputs.addresses || inputs.places
    ? buildPackSearch({ ...(inputs.streets ? { streets: inputs.streets } : {}), ...(inputs.addresses ? { addresses: inputs.addresses } : {}), ...(inputs.places ? { places: inputs.places } : {}) })
    : null;
  const roads = inputs.roads ? readRoads(inputs.roads) : null;
  if (parts.length === 0 && !search && !roads) throw new Error('nothing to build: give at least one of --districts, --stations, --pois, --land, --roads, --streets, --addresses, --places.');

  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of parts) for (const f of p.fc.features) extend(bbox, f.geometry?.coordinates);
  for (const f of roads?.streets.features ?? []) extend(bbox, f.geometry?.coordinates);
  // Search entries place the view only when nothing drawn does (a pack of addresses alone).
  if (search && parts.length === 0 && !roads) for (const row of [...search.file.streets, ...search.file.places]) extend(bbox, [row[1], row[2]]);
  if (search && parts.length === 0 && !roads) for (const a of search.file.addresses) extend(bbox, [a[5], a[6]]);
  const bounds = bbox.map((v) => Math.round(v * 1e4) / 1e4) as [number, number, number, number];
  // The zoom at which the bounds fill about 1000 px: a whole-city first view.
  const span = Math.max(bounds[2] - bounds[0], (bounds[3] - bounds[1]) * 1.4, 1e-4);
  const zoom = Math.round(Math.log2((1000 / 512) * (360 / span)) * 10) / 10;

  fs.mkdirSync(inputs.out, { recursive: true });
  const files: PackManifest['files'] = {};
  const mode = inputs.tiles ?? 'auto';
  const tiled: { key: TiledPart; fc: FC }[] = [];
  for (const p of parts) {
    const json = JSON.stringify(p.fc);
    const large = p.fc.features.length >= LARGE_FEATURES || json.length >= LARGE_BYTES;
    if (TILEABLE.includes(p.key) && (mode === 'always' || (mode === 'auto' && large))) {
      tiled.push({ key: p.key as TiledPart, fc: p.fc });
      continue;
    }
    files[p.key] = `${p.key}.geojson`;
    fs.writeFileSync(path.join(inputs.out, `${p.key}.geojson`), json);
  }
  // Streets are many short lines: always tiled, never shipped as one GeoJSON.
  if (roads) tiled.push({ key: 'roads', fc: roads.streets as FC });
  const count = (k: string) => parts.find((p) => p.key === k)?.fc.features.length ?? 0;
  const searchPart = search ? { file: writePackSearch(inputs.out, search), ...search.counts, skipped: search.skipped.length } : undefined;
  let tiles: PackManifest['tiles'];
  if (tiled.length > 0) {
    const minZoom = Math.max(0, Math.floor(zoom) - 2);
    const maxZoom = Math.max(minZoom, TILES_MAX_ZOOM);
    const layers = Object.fromEntries(tiled.map((t) => [t.key, t.fc]));
    const center: [number, number] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
    const written = writePmtiles(path.join(inputs.out, 'pack.pmtiles'), [...vectorTiles(layers, bounds, minZoom, maxZoom)], {
      tileType: 'mvt', bounds, minZoom, maxZoom, center, centerZoom: Math.round(zoom),
      metadata: {
        name: inputs.name,
        attribution: inputs.attribution.join(' · '),
        vector_layers: tiled.map((t) => ({ id: t.key, fields: t.key === 'roads' ? { name: 'String', kind: 'String' } : { name: 'String' }, minzoom: minZoom, maxzoom: maxZoom })),
      },
    });
    tiles = { file: 'pack.pmtiles', layers: tiled.map((t) => t.key), minZoom, maxZoom, count: written.tiles };
  }
  const manifest: PackManifest = {
    format: 'vigie-city-pack/1',
    id: inputs.id,
    name: inputs.name,
    center: [Math.round(((bounds[0] + bounds[2]) / 2) * 1e5) / 1e5, Math.round(((bounds[1] + bounds[3]) / 2) * 1e5) / 1e5],
    zoom,
    bounds,
    attribution: inputs.attribution,
    lines,
    files,
    counts: { districts: count('districts'), stations: count('stations'), pois: count('pois') },
    ...(tiles ? { tiles } : {}),
    ...(searchPart ? { search: searchPart } : {}),
    ...(roads ? { roads: roads.write(inputs.out) } : {}),
  };
  fs.writeFileSync(path.join(inputs.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** A built pack's manifest alone. */
export function readPackManifest(dir: string): PackManifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`city pack ${dir} has no manifest.json; build one with "vigie pack build --out ${dir} …".`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PackManifest;
  if (manifest.format !== 'vigie-city-pack/1') throw new Error(`city pack ${dir}: unknown format "${String(manifest.format)}"; rebuild it with this version of vigie.`);
  return manifest;
}

/** Reads a built pack folder back (for the map): the manifest and its GeoJSON parts. */
export function readCityPackDir(dir: string): { manifest: PackManifest; parts: Partial<Record<'districts' | 'stations' | 'pois' | 'land', FC>> } {
  const manifest = readPackManifest(dir);
  const parts: Partial<Record<'districts' | 'stations' | 'pois' | 'land', FC>> = {};
  for (const [key, name] of Object.entries(manifest.files) as ['districts' | 'stations' | 'pois' | 'land', string][]) {
    parts[key] = readGeoJson(path.join(dir, name), key);
  }
  return { manifest, parts };
}
