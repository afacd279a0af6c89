import fs from 'node:fs';
import { haversineM } from '../../../common/geo/distance';
import { directionOf, speedKmh, tagValues, TRAVEL_MODES, type TravelMode } from './roadRules';

/** A mode's graph in CSR form: the edges leaving node i are offsets[i] .. offsets[i+1]-1. */
export interface ModeGraph {
  offsets: Uint32Array;
  targets: Uint32Array;
  /** Travel time, seconds. */
  timeS: Float32Array;
  lengthM: Float32Array;
  /** The edge's drawn shape between its ends: shapes index, or ~index when walked against the drawing. -1: straight. */
  shape: Int32Array;
}

export interface RoadGraph {
  lon: Float64Array;
  lat: Float64Array;
  /** Interior points of each shape: shapeOffsets[s] .. shapeOffsets[s+1]-1 into shapeLon/shapeLat. */
  shapeOffsets: Uint32Array;
  shapeLon: Float64Array;
  shapeLat: Float64Array;
  modes: Record<TravelMode, ModeGraph>;
}

type Tags = Record<string, unknown>;
type Line = { coords: [number, number][]; tags: Tags };
type Feature = { type?: string; geometry?: { type: string; coordinates: unknown } | null; properties?: Tags | null };

/** One directed piece of road between two graph nodes, before CSR packing. */
interface Piece { from: number; to: number; lengthM: number; tags: Tags; shape: number; reversed: boolean }

function lineLength(coords: [number, number][]): number {
  let m = 0;
  for (let i = 1; i < coords.length; i++) m += haversineM({ lon: coords[i - 1]![0], lat: coords[i - 1]![1] }, { lon: coords[i]![0], lat: coords[i]![1] });
  return m;
}

function validCoords(c: unknown): c is [number, number][] {
  return Array.isArray(c) && c.length >= 2 && c.every((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90);
}

export interface RoadInputReport {
  graph: RoadGraph;
  /** Features skipped, with why (not a line, no highway tag, bad coordinates). */
  skipped: { index: number; reason: string }[];
  /** Ways with a highway class, for drawing the streets. */
  lines: Line[];
}

/**
 * Builds the routing graph from GeoJSON road lines. Two input shapes:
 * - OSMnx edges (properties `u` and `v`): already split at junctions, one feature per direction of
 *   travel it allows; its `length` (metres) is used when present.
 * - Raw OSM ways (osmium, ogr2ogr): split here at every vertex two ways share and at their ends;
 *   lengths measured on the geometry.
 * Either way, `oneway` decides which directions a vehicle may take (walkers take both).
 */
export function buildRoadGraph(features: readonly Feature[]): RoadInputReport {
  const skipped: RoadInputReport['skipped'] = [];
  const lines: (Line & { index: number })[] = [];
  features.forEach((f, index) => {
    const g = f?.geometry;
    const tags = f?.properties ?? {};
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) return skipped.push({ index, reason: `a ${g ? g.type : 'missing'} geometry, not a LineString` });
    if (tagValues(tags.highway).length === 0) return skipped.push({ index, reason: 'no highway tag' });
    const parts = g.type === 'LineString' ? [g.coordinates] : (g.coordinates as unknown[]);
    for (const c of parts) {
      if (!validCoords(c)) skipped.push({ index, reason: 'coordinates that are not [lon, lat] pairs (at least two)' });
      else lines.push({ coords: c, tags, index });
    }
  });
  if (lines.length === 0) throw new Error(`no road lines: every feature was skipped${skipped[0] ? ` (feature ${skipped[0].index}: ${skipped[0].reason})` : ''}; give GeoJSON LineStrings with a "highway" property.`);

  const nodeIds = new Map<string, number>();
  const lon: number[] = [], lat: number[] = [];
  const nodeAt = (key: string, p: [number, number]) => {
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = lon.length;
      nodeIds.set(key, id);
      lon.push(p[0]);
      lat.push(p[1]);
    }
    return id;
  };
  const pointKey = (p: [number, number]) => `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
  const shapeOffsets: number[] = [0];
  const shapeLon: number[] = [], shapeLat: number[] = [];
  const addShape = (interior: [number, number][]) => {
    if (interior.length === 0) return -1;
    for (const p of interior) { shapeLon.push(p[0]); shapeLat.push(p[1]); }
    shapeOffsets.push(shapeLon.length);
    return shapeOffsets.length - 2;
  };
  const pieces: Piece[] = [];
  const osmnx = lines.every((l) => l.tags.u !== undefined && l.tags.v !== undefined);
  if (osmnx) {
    for (const l of lines) {
      const from = nodeAt(`n${String(l.tags.u)}`, l.coords[0]!);
      const to = nodeAt(`n${String(l.tags.v)}`, l.coords[l.coords.length - 1]!);
      const given = Number(l.tags.length);
      const lengthM = Number.isFinite(given) && given >= 0 ? given : lineLength(l.coords);
      pieces.push({ from, to, lengthM, tags: l.tags, shape: addShape(l.coords.slice(1, -1)), reversed: false });
    }
  } else {
    // A vertex used by two ways (or twice by one) is a junction.
    const uses = new Map<string, number>();
    for (const l of lines) for (const p of l.coords) uses.set(pointKey(p), (uses.get(pointKey(p)) ?? 0) + 1);
    for (const l of lines) {
      let start = 0;
      for (let i = 1; i < l.coords.length; i++) {
        if (i < l.coords.length - 1 && (uses.get(pointKey(l.coords[i]!)) ?? 0) < 2) continue;
        const seg = l.coords.slice(start, i + 1);
        pieces.push({ from: nodeAt(pointKey(seg[0]!), seg[0]!), to: nodeAt(pointKey(seg[seg.length - 1]!), seg[seg.length - 1]!), lengthM: lineLength(seg), tags: l.tags, shape: addShape(seg.slice(1, -1)), reversed: false });
        start = i;
      }
    }
  }

  const n = lon.length;
  const modes = {} as Record<TravelMode, ModeGraph>;
  for (const mode of TRAVEL_MODES) {
    // Directed edges for this mode; the fastest of parallel ones wins (OSMnx lists both directions of a two-way street).
    const edgesFrom: Map<number, { to: number; timeS: number; lengthM: number; shape: number }>[] = [];
    const add = (from: number, to: number, timeS: number, lengthM: number, shape: number) => {
      if (from === to) return;
      const byTo = (edgesFrom[from] ??= new Map());
      const known = byTo.get(to);
      if (!known || timeS < known.timeS) byTo.set(to, { to, timeS, lengthM, shape });
    };
    for (const p of pieces) {
      const kmh = speedKmh(mode, p.tags);
      if (kmh === null) continue;
      const timeS = p.lengthM / (kmh / 3.6);
      const dir = mode === 'foot' ? 'both' : directionOf(p.tags, tagValues(p.tags.highway));
      if (dir !== 'backward') add(p.from, p.to, timeS, p.lengthM, p.shape);
      if (dir !== 'forward') add(p.to, p.from, timeS, p.lengthM, p.shape < 0 ? -1 : ~p.shape);
    }
    let m = 0;
    for (const e of edgesFrom) if (e) m += e.size;
    const g: ModeGraph = { offsets: new Uint32Array(n + 1), targets: new Uint32Array(m), timeS: new Float32Array(m), lengthM: new Float32Array(m), shape: new Int32Array(m) };
    let k = 0;
    for (let i = 0; i < n; i++) {
      g.offsets[i] = k;
      for (const e of edgesFrom[i]?.values() ?? []) {
        g.targets[k] = e.to; g.timeS[k] = e.timeS; g.lengthM[k] = e.lengthM; g.shape[k] = e.shape;
        k++;
      }
    }
    g.offsets[n] = k;
    modes[mode] = g;
  }
  return {
    graph: { lon: Float64Array.from(lon), lat: Float64Array.from(lat), shapeOffsets: Uint32Array.from(shapeOffsets), shapeLon: Float64Array.from(shapeLon), shapeLat: Float64Array.from(shapeLat), modes },
    skipped,
    lines,
  };
}

const MAGIC = 'VIGIE-ROADS/1\n';

/**
 * The pack's routing graph as one binary file: a JSON header (array lengths) then the typed arrays,
 * each 8-byte aligned, little-endian. About 60 bytes per edge and node: compact enough for a city.
 */
export function writeRoadGraph(file: string, g: RoadGraph): number {
  const arrays: [string, ArrayBufferView][] = [
    ['lon', g.lon], ['lat', g.lat], ['shapeOffsets', g.shapeOffsets], ['shapeLon', g.shapeLon], ['shapeLat', g.shapeLat],
    ...TRAVEL_MODES.flatMap((m) => (['offsets', 'targets', 'timeS', 'lengthM', 'shape'] as const).map((k) => [`${m}.${k}`, g.modes[m][k]] as [string, ArrayBufferView])),
  ];
  const header = Buffer.from(JSON.stringify({ arrays: arrays.map(([name, a]) => [name, a.constructor.name, (a as Uint8Array).length]) }));
  const pad = (len: number) => (8 - (len % 8)) % 8;
  const head = Buffer.concat([Buffer.from(MAGIC), Buffer.alloc(4), header]);
  head.writeUInt32LE(header.length, MAGIC.length);
  const chunks: Buffer[] = [head, Buffer.alloc(pad(head.length))];
  for (const [, a] of arrays) {
    const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    chunks.push(b, Buffer.alloc(pad(b.length)));
  }
  const out = Buffer.concat(chunks);
  fs.writeFileSync(file, out);
  return out.length;
}

const TYPED = { Float64Array, Float32Array, Uint32Array, Int32Array } as const;

export function readRoadGraph(file: string): RoadGraph {
  const buf = fs.readFileSync(file);
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error(`${file} is not a Vigie road graph; rebuild the pack with "vigie pack build --roads …".`);
  const len = buf.readUInt32LE(MAGIC.length);
  const { arrays } = JSON.parse(buf.subarray(MAGIC.length + 4, MAGIC.length + 4 + len).toString()) as { arrays: [string, keyof typeof TYPED, number][] };
  let at = MAGIC.length + 4 + len;
  at += (8 - (at % 8)) % 8;
  const got: Record<string, ArrayBufferView> = {};
  for (const [name, type, length] of arrays) {
    const T = TYPED[type];
    if (!T) throw new Error(`${file}: unknown array type ${type}; rebuild the pack with this version of vigie.`);
    const bytes = length * T.BYTES_PER_ELEMENT;
    if (at + bytes > buf.length) throw new Error(`${file} is truncated; rebuild the pack with "vigie pack build --roads …".`);
    // Copied out so each array is aligned whatever the Buffer's pool offset.
    got[name] = new T(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes));
    at += bytes + ((8 - (bytes % 8)) % 8);
  }
  const mode = (m: TravelMode): ModeGraph => ({
    offsets: got[`${m}.offsets`] as Uint32Array, targets: got[`${m}.targets`] as Uint32Array, timeS: got[`${m}.timeS`] as Float32Array,
    lengthM: got[`${m}.lengthM`] as Float32Array, shape: got[`${m}.shape`] as Int32Array,
  });
  return {
    lon: got.lon as Float64Array, lat: got.lat as Float64Array, shapeOffsets: got.shapeOffsets as Uint32Array,
    shapeLon: got.shapeLon as Float64Array, shapeLat: got.shapeLat as Float64Array,
    modes: { vehicle: mode('vehicle'), foot: mode('foot') },
  };
}

/** The same graph with every edge turned around (for "how long from every node to here"), keeping each edge's forward index. */
export function reverseGraph(g: ModeGraph, n: number): ModeGraph & { forward: Uint32Array } {
  const m = g.targets.length;
  const counts = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) counts[g.targets[e]! + 1]!++;
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const offsets = counts.slice();
  const fill = counts.slice(0, n);
  const r = { offsets, targets: new Uint32Array(m), timeS: new Float32Array(m), lengthM: new Float32Array(m), shape: new Int32Array(m), forward: new Uint32Array(m) };
  for (let from = 0; from < n; from++) {
    for (let e = g.offsets[from]!; e < g.offsets[from + 1]!; e++) {
      const k = fill[g.targets[e]!]!++;
      r.targets[k] = from; r.timeS[k] = g.timeS[e]!; r.lengthM[k] = g.lengthM[e]!; r.shape[k] = g.shape[e]!; r.forward[k] = e;
    }
  }
  return r;
}
