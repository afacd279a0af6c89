import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { CityPack } from '../../../common/contract';
import { clipRing, ringIntersects, type BBox, type Ring } from '../../../common/geo/clip';
import { sharedDataDir } from '../paths';
import { readCityPackDir } from './packBuild';
import { BUILTIN_PLACES, MARSEILLE_BOUNDS, MARSEILLE_CENTER, type Place } from './builtinMarseille';

type Feature = { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
type FC = { type: 'FeatureCollection'; features: Feature[] };

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as FC;

/** 5 decimals is about a metre: plenty for a district outline, a fifth of the bytes. */
function round(coords: unknown): unknown {
  return Array.isArray(coords) ? coords.map(round) : typeof coords === 'number' ? Math.round(coords * 1e5) / 1e5 : coords;
}

function padded([w, s, e, n]: BBox, by: number): BBox {
  return [w - by, s - by, e + by, n + by];
}

type Arcs = number[][][];
type LandTopology = {
  arcs: Arcs;
  transform: { scale: [number, number]; translate: [number, number] };
  objects: { land: { type: 'GeometryCollection'; geometries: { type: string; arcs: number[][] | number[][][] }[] } };
};

/**
 * Natural Earth 1:10m land (npm `world-atlas`), clipped around the city: the offline coastline.
 * Only the polygons whose outer ring's box meets `bounds` are turned into coordinates: converting
 * the whole world's land first took about half a second of the data service's single thread, and
 * that was paid at the first incident of the day, in the middle of an ingest.
 */
export function naturalEarthLand(bounds: BBox): FC {
  const require = createRequire(import.meta.url);
  const topology = require('world-atlas/land-10m.json') as LandTopology;
  const near = landPolygons(topology).filter((rings) => rings[0] !== undefined && ringBoxMeets(topology, rings[0], bounds));
  const land = feature(topology as never, { type: 'MultiPolygon', arcs: near } as never) as unknown as Feature;
  return clipLand({ type: 'FeatureCollection', features: [land] }, bounds);
}

/** Every polygon of the land object, as rings of arc indexes. */
function landPolygons(topology: LandTopology): number[][][] {
  const out: number[][][] = [];
  for (const g of topology.objects.land.geometries) {
    if (g.type === 'MultiPolygon') out.push(...(g.arcs as number[][][]));
    else if (g.type === 'Polygon') out.push(g.arcs as number[][]);
  }
  return out;
}

/** Whether the box of a ring's points (its arcs decoded, not built) meets `bounds`: ringIntersects without the coordinates. */
function ringBoxMeets(topology: LandTopology, ring: number[], [w, s, e, n]: BBox): boolean {
  const { scale, translate } = topology.transform;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const index of ring) {
    let x = 0, y = 0;
    for (const [dx, dy] of topology.arcs[index < 0 ? ~index : index]!) {
      x += dx!;
      y += dy!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return minX * scale[0] + translate[0] <= e && maxX * scale[0] + translate[0] >= w && minY * scale[1] + translate[1] <= n && maxY * scale[1] + translate[1] >= s;
}

/** Land polygons cut to `bounds`, each a Polygon feature (what the basemap draws as land). */
export function clipLand(land: FC, bounds: BBox): FC {
  const features: Feature[] = [];
  for (const f of land.features) {
    const polygons = (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates]) as Ring[][];
    for (const polygon of polygons) {
      if (!polygon[0] || !ringIntersects(polygon[0], bounds)) continue;
      const rings = polygon.map((r) => clipRing(r, bounds)).filter((r) => r.length >= 3);
      if (rings.length > 0) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: rings.map(close) }, properties: {} });
    }
  }
  return { type: 'FeatureCollection', features };
}

function close(ring: Ring): Ring {
  const [a, b] = [ring[0]!, ring[ring.length - 1]!];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, a];
}

let cached: CityPack | null = null;
const fromDirs = new Map<string, CityPack>();

/** A pack folder built by `vigie pack build`; Natural Earth land around it when the pack has none. */
export function loadCityPackDir(dir: string): CityPack {
  const known = fromDirs.get(dir);
  if (known) return known;
  const { manifest, parts } = readCityPackDir(dir);
  const empty: FC = { type: 'FeatureCollection', features: [] };
  const tiledLand = manifest.tiles?.layers.includes('land') ?? false;
  const hasLand = !!parts.land || tiledLand;
  const pack: CityPack = {
    id: manifest.id,
    name: manifest.name,
    center: manifest.center,
    zoom: manifest.zoom,
    bounds: manifest.bounds,
    land: parts.land ?? (tiledLand ? empty : naturalEarthLand(padded(manifest.bounds, 0.6))),
    districts: parts.districts ?? empty,
    metro: parts.stations ?? empty,
    pois: parts.pois ?? empty,
    lines: manifest.lines,
    attribution: hasLand ? manifest.attribution : ['Natural Earth', ...manifest.attribution],
    ...(manifest.tiles ? { tiles: { layers: manifest.tiles.layers, minZoom: manifest.tiles.minZoom, maxZoom: manifest.tiles.maxZoom } } : {}),
  };
  fromDirs.set(dir, pack);
  return pack;
}

/**
 * The Marseille pack. With the real open data beside the checkout: the commune outline as land,
 * the 111 quartiers, metro stations. Without it: Natural Earth land and no districts.
 */
export function loadCityPack(): CityPack {
  if (cached) return cached;
  const bounds = MARSEILLE_BOUNDS;
  const land = naturalEarthLand(padded(bounds, 0.6));
  const attribution = ['Natural Earth'];
  let districts: FC = { type: 'FeatureCollection', features: [] };
  let metro: FC = { type: 'FeatureCollection', features: [] };
  const dir = sharedDataDir();
  const city = dir ? path.join(dir, 'marseille') : null;
  if (city && fs.existsSync(path.join(city, 'quartiers_111.geojson'))) {
    const quartiers = readJson(path.join(city, 'quartiers_111.geojson'));
    districts = {
      type: 'FeatureCollection',
      features: quartiers.features.map((f) => ({
        type: 'Feature',
        geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
        properties: { name: f.properties.nom_qua, arrondissement: f.properties.nom_co, insee: f.properties.depco },
      })),
    };
    attribution.push('Ville de Marseille');
    metro = metroStations(path.join(city, 'rtm_metro_gtfs', 'stops.txt'));
    if (metro.features.length) attribution.push('Métropole Aix-Marseille-Provence');
  }
  cached = { id: 'marseille', name: 'Marseille', center: MARSEILLE_CENTER, zoom: 12.3, bounds, land, districts, metro, attribution };
  return cached;
}

/**
 * The transit stops the city pack places, by GTFS stop_id: a pack folder's `stops.txt` when it has
 * one, else the Marseille metro of the built-in pack. GTFS-realtime alerts name stops by id only.
 */
export function packStops(dir?: string): Map<string, [number, number]> {
  const shared = sharedDataDir();
  const file = dir ? path.join(dir, 'stops.txt') : shared ? path.join(shared, 'marseille', 'rtm_metro_gtfs', 'stops.txt') : null;
  const stops = new Map<string, [number, number]>();
  if (!file || !fs.existsSync(file)) return stops;
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = header!.split(',').map((c) => c.trim());
  const [iId, iLat, iLon] = ['stop_id', 'stop_lat', 'stop_lon'].map((c) => cols.indexOf(c));
  if (iId! < 0 || iLat! < 0 || iLon! < 0) return stops;
  for (const line of lines) {
    // Ids and coordinates never hold commas; a quoted stop name before them would, hence the check below.
    const f = line.split(',');
    const lon = Number(f[iLon!]), lat = Number(f[iLat!]);
    if (f.length === cols.length && f[iId!] && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) stops.set(f[iId!]!, [lon, lat]);
  }
  return stops;
}

function metroStations(file: string): FC {
  if (!fs.existsSync(file)) return { type: 'FeatureCollection', features: [] };
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  const [iName, iLat, iLon] = ['stop_name', 'stop_lat', 'stop_lon'].map((c) => cols.indexOf(c));
  const seen = new Set<string>();
  const features: Feature[] = [];
  for (const line of lines) {
    const f = line.split(',');
    const name = f[iName!]!;
    if (seen.has(name)) continue; // one point per station, not per platform
    seen.add(name);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [Number(f[iLon!]), Number(f[iLat!])] }, properties: { name } });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Where the demo puts simulated incidents: the 5,190 named streets of the OSM index when present
 * (each with its quartier), else the built-in list of well-known places.
 */
export function loadDemoPlaces(): Place[] {
  const dir = sharedDataDir();
  const file = dir ? path.join(dir, 'marseille', 'streets_index_osm.json') : null;
  if (file && fs.existsSync(file)) {
    const streets = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; quartier: string; centroid: [number, number] }[];
    const [w, s, e, n] = MARSEILLE_BOUNDS;
    const places = streets
      .filter((st) => st.centroid && st.centroid[0] > w && st.centroid[0] < e && st.centroid[1] > s && st.centroid[1] < n)
      .map((st) => ({ name: st.name, district: st.quartier, lon: st.centroid[0], lat: st.centroid[1] }));
    if (places.length > 0) return places;
  }
  return [...BUILTIN_PLACES];
}
