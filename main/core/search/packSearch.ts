import fs from 'node:fs';
import path from 'node:path';
import { fold, houseNumber } from './normalize';
import type { IndexEntry } from './searchIndex';

/**
 * The city pack's part of the search (`vigie pack build --streets --addresses --places`): one
 * compact file, search.json, that the data service turns into index entries at its first search.
 * Only names, house numbers and coordinates travel: a pack carries places, never people.
 */
export interface PackSearchFile {
  format: 'vigie-search/1';
  /** name, lon, lat, detail (the quartier or commune, when the source has one). */
  streets: [string, number, number, string][];
  /** numero, rep, nom_voie, code_postal, nom_commune, lon, lat. */
  addresses: [string, string, string, string, string, number, number][];
  /** name, lon, lat. */
  places: [string, number, number][];
}

export interface PackSearchInputs {
  /** GeoJSON lines or points with a name, or a JSON array of { name, quartier?, centroid } (streets_index_osm.json). */
  streets?: string;
  /** A BAN-style address CSV (`;` or `,`): numero, rep, nom_voie, code_postal, nom_commune, lon, lat. */
  addresses?: string;
  /** GeoJSON points with a name. */
  places?: string;
}

/** A row of an input that was not taken, and why: written beside the pack, never silently dropped. */
export interface SkippedRow {
  file: string;
  /** The CSV line (header = 1), or the feature's position (1 = first) in a GeoJSON or JSON file. */
  line: number;
  reason: string;
}

export interface PackSearchBuild {
  file: PackSearchFile;
  skipped: SkippedRow[];
  counts: { streets: number; addresses: number; places: number };
}

type Position = [number, number];
type Geometry = { type: string; coordinates: unknown } | null;
type Feature = { geometry: Geometry; properties: Record<string, unknown> | null };

const NAME_FIELDS = ['name', 'nom', 'nom_voie', 'NAME', 'Name', 'libelle'];
const DETAIL_FIELDS = ['quartier', 'nom_commune', 'commune', 'city', 'addr:city'];
const r5 = (v: number) => Math.round(v * 1e5) / 1e5;
const inWorld = (lon: number, lat: number) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90 && !(lon === 0 && lat === 0);

function readJson(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new Error(`${what}: ${file} does not exist.`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${what}: ${file} is not valid JSON (${(error as Error).message}); give a GeoJSON FeatureCollection.`, { cause: error });
  }
}

function field(props: Record<string, unknown> | null, names: string[]): string | undefined {
  if (!props) return undefined;
  for (const k of names) {
    const v = props[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

function features(json: unknown, file: string, what: string): Feature[] {
  const fc = json as { type?: string; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${what}: ${file} is not a GeoJSON FeatureCollection.`);
  return fc.features as Feature[];
}

/** The lines of a geometry as lists of positions (a point is a line of one). */
function lines(g: Geometry): Position[][] {
  if (!g) return [];
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point': return [[c]];
    case 'MultiPoint': case 'LineString': return [c];
    case 'MultiLineString': return c;
    default: return [];
  }
}

/**
 * Streets: every segment of a name (OSM cuts a street into many ways) is one street, placed on
 * its own line at the vertex nearest the middle of all its vertices, so the ring lands on the
 * street, not in a block beside a curved one.
 */
function readStreets(file: string, skipped: SkippedRow[]): PackSearchFile['streets'] {
  const json = readJson(file, 'streets');
  const groups = new Map<string, { name: string; detail: string; points: Position[] }>();
  const add = (name: string, detail: string, points: Position[]) => {
    const key = `${fold(name)}|${fold(detail)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { name, detail, points: [] }));
    g.points.push(...points);
  };
  if (Array.isArray(json)) {
    // The street index form: [{ name, quartier, centroid: [lon, lat] }].
    json.forEach((s: { name?: unknown; quartier?: unknown; centroid?: unknown }, i) => {
      const c = s?.centroid as number[] | undefined;
      if (typeof s?.name !== 'string' || !s.name.trim()) skipped.push({ file, line: i + 1, reason: 'no name' });
      else if (!Array.isArray(c) || !inWorld(Number(c[0]), Number(c[1]))) skipped.push({ file, line: i + 1, reason: `${s.name}: no usable centroid` });
      else add(s.name.trim(), typeof s.quartier === 'string' ? s.quartier : '', [[Number(c[0]), Number(c[1])]]);
    });
  } else {
    features(json, file, 'streets').forEach((f, i) => {
      const name = field(f.properties, NAME_FIELDS);
      const points = lines(f.geometry).flat().filter((p) => Array.isArray(p) && inWorld(p[0], p[1]));
      if (!name) skipped.push({ file, line: i + 1, reason: 'feature without a name' });
      else if (points.length === 0) skipped.push({ file, line: i + 1, reason: `${name}: ${f.geometry ? `a ${f.geometry.type}` : 'no'} geometry; expected lines or points` });
      else add(name, field(f.properties, DETAIL_FIELDS) ?? '', points);
    });
  }
  return [...groups.values()].map((g) => {
    const mx = g.points.reduce((s, p) => s + p[0], 0) / g.points.length;
    const my = g.points.reduce((s, p) => s + p[1], 0) / g.points.length;
    let best = g.points[0]!;
    let bestD = Infinity;
    for (const p of g.points) {
      const d = (p[0] - mx) ** 2 + (p[1] - my) ** 2;
      if (d < bestD) [best, bestD] = [p, d];
    }
    return [g.name, r5(best[0]), r5(best[1]), g.detail];
  });
}

function readPlaces(file: string, skipped: SkippedRow[]): PackSearchFile['places'] {
  const out: PackSearchFile['places'] = [];
  features(readJson(file, 'places'), file, 'places').forEach((f, i) => {
    const name = field(f.properties, NAME_FIELDS);
    const c = f.geometry?.type === 'Point' ? (f.geometry.coordinates as number[]) : null;
    if (!name) skipped.push({ file, line: i + 1, reason: 'feature without a name' });
    else if (!c || !inWorld(Number(c[0]), Number(c[1]))) skipped.push({ file, line: i + 1, reason: `${name}: ${f.geometry ? `a ${f.geometry.type}` : 'no'} geometry; expected a Point` });
    else out.push([name, r5(Number(c[0])), r5(Number(c[1]))]);
  });
  return out;
}

/** Splits one CSV line (quoted fields with doubled quotes allowed). */
function splitCsv(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

const ADDRESS_COLUMNS = ['numero', 'nom_voie', 'lon', 'lat'] as const;

/** A BAN CSV (adresses-DD.csv from adresse.data.gouv.fr, `;`-separated) or the same columns with commas. */
function readAddresses(file: string, skipped: SkippedRow[]): PackSearchFile['addresses'] {
  if (!fs.existsSync(file)) throw new Error(`addresses: ${file} does not exist.`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows = text.split(/\r?\n/);
  const header = rows[0] ?? '';
  const sep = header.split(';').length > header.split(',').length ? ';' : ',';
  const cols = splitCsv(header, sep).map((c) => c.trim().toLowerCase());
  const missing = ADDRESS_COLUMNS.filter((c) => !cols.includes(c));
  if (missing.length > 0) {
    throw new Error(`addresses: ${file} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}; give a BAN-style CSV (numero;rep;nom_voie;code_postal;nom_commune;lon;lat).`);
  }
  const at = (name: string) => cols.indexOf(name);
  const [iNum, iRep, iVoie, iCp, iCommune, iLon, iLat] = ['numero', 'rep', 'nom_voie', 'code_postal', 'nom_commune', 'lon', 'lat'].map(at) as number[];
  const out: PackSearchFile['addresses'] = [];
  for (let n = 1; n < rows.length; n++) {
    const line = rows[n]!;
    if (!line.trim()) continue;
    const f = splitCsv(line, sep);
    const get = (i: number) => (i >= 0 ? (f[i] ?? '').trim() : '');
    const numero = get(iNum!);
    const voie = get(iVoie!);
    const lon = Number(get(iLon!).replace(',', '.'));
    const lat = Number(get(iLat!).replace(',', '.'));
    const reason = !voie ? 'no nom_voie' : !houseNumber(numero) ? `numero "${numero}" is not a house number` : !get(iLon!) || !get(iLat!) || !inWorld(lon, lat) ? `no usable lon/lat ("${get(iLon!)}", "${get(iLat!)}")` : null;
    if (reason) {
      skipped.push({ file, line: n + 1, reason });
      continue;
    }
    // BAN writes 99999 for a place without a number (lieu-dit): it is a street, not an address.
    if (Number(numero) >= 99999) continue;
    out.push([String(Number(numero)), get(iRep!), voie, get(iCp!), get(iCommune!), r5(lon), r5(lat)]);
  }
  return out;
}

/** Reads the streets, addresses and places files into the pack's search part. */
export function buildPackSearch(inputs: PackSearchInputs): PackSearchBuild {
  const skipped: SkippedRow[] = [];
  const streets = inputs.streets ? readStreets(inputs.streets, skipped) : [];
  const addresses = inputs.addresses ? readAddresses(inputs.addresses, skipped) : [];
  const places = inputs.places ? readPlaces(inputs.places, skipped) : [];
  // A street the addresses name but the streets file lacks (or no streets file): found by its name
  // too, placed at its middle house.
  const known = new Set(streets.map((s) => fold(s[0])));
  const byStreet = new Map<string, PackSearchFile['addresses']>();
  for (const a of addresses) {
    const key = `${fold(a[2])}|${a[3]}`;
    if (known.has(fold(a[2]))) continue;
    let list = byStreet.get(key);
    if (!list) byStreet.set(key, (list = []));
    list.push(a);
  }
  for (const list of byStreet.values()) {
    const sorted = [...list].sort((x, y) => Number(x[0]) - Number(y[0]));
    const mid = sorted[Math.floor(sorted.length / 2)]!;
    streets.push([mid[2], mid[5], mid[6], [mid[3], mid[4]].filter(Boolean).join(' ')]);
  }
  return { file: { format: 'vigie-search/1', streets, addresses, places }, skipped, counts: { streets: streets.length, addresses: addresses.length, places: places.length } };
}

/** Writes search.json (and search-skipped.json when rows were not taken) into a pack folder. */
export function writePackSearch(dir: string, build: PackSearchBuild): string {
  fs.writeFileSync(path.join(dir, 'search.json'), JSON.stringify(build.file));
  const skippedFile = path.join(dir, 'search-skipped.json');
  if (build.skipped.length > 0) fs.writeFileSync(skippedFile, JSON.stringify(build.skipped, null, 1) + '\n');
  else fs.rmSync(skippedFile, { force: true });
  return 'search.json';
}

/** The index entries of a pack's search.json. */
export function packSearchEntries(file: PackSearchFile): IndexEntry[] {
  const out: IndexEntry[] = [];
  file.streets.forEach(([name, lon, lat, detail], i) => out.push({ kind: 'street', id: `street:${i}`, label: name, ...(detail ? { detail, also: detail } : {}), lon, lat }));
  file.addresses.forEach(([numero, rep, voie, cp, commune, lon, lat], i) => {
    const house = houseNumber(numero, rep)!;
    const place = [cp, commune].filter(Boolean).join(' ');
    out.push({ kind: 'address', id: `address:${i}`, label: `${numero}${rep ? ` ${rep}` : ''} ${voie}`, ...(place ? { detail: place, also: place } : {}), name: voie, house, lon, lat });
  });
  file.places.forEach(([name, lon, lat], i) => out.push({ kind: 'place', id: `place:${i}`, label: name, lon, lat }));
  return out;
}

export function readPackSearch(dir: string, name = 'search.json'): PackSearchFile | null {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return null;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as PackSearchFile;
  if (json.format !== 'vigie-search/1') throw new Error(`city pack ${dir}: ${name} has an unknown format "${String(json.format)}"; rebuild the pack with this version of vigie.`);
  return json;
}
