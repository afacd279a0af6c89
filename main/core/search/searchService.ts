import fs from 'node:fs';
import path from 'node:path';
import type { CityPack } from '../../../common/contract';
import type { SearchHit } from '../../../common/methods/search';
import type { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import { sharedDataDir } from '../paths';
import type { Store } from '../store';
import { BUILTIN_PLACES } from '../city/builtinMarseille';
import { packSearchEntries, readPackSearch } from './packSearch';
import { SearchIndex, type IndexEntry } from './searchIndex';

export interface SearchSources {
  store: Store;
  bus: EventBus;
  /** The city pack as the map draws it (districts, stops, points of interest). */
  pack: () => CityPack;
  /** The pack folder, whose search.json holds streets, house numbers and places; null: the built-in Marseille pack. */
  packDir: string | null;
  /** Incidents searched: the most recent this many (what the list shows). */
  incidentLimit?: number;
}

/** How stale unit positions in the search may be: units move every few seconds, each move is not worth a rebuild. */
const UNIT_REFRESH_MS = 1_000;

/**
 * The search box's service: one index of the city pack (built once, at the first search) and one
 * of the live picture (cameras, units, incidents; rebuilt at most every second when something
 * changed; at once for an incident or a camera, at most every second for units that move). A search that returns incidents is a consultation of them and is journaled.
 */
export class SearchService {
  private packIndex: SearchIndex | null = null;
  private liveIndex: SearchIndex | null = null;
  private liveBuiltAt = 0;
  /** What changed since the live index was built: an incident or camera (rebuild now), or only units moving. */
  private liveDirty: 'none' | 'units' | 'all' = 'all';
  private readonly unsubscribe: () => void;

  constructor(private readonly sources: SearchSources) {
    this.unsubscribe = sources.bus.subscribe((event) => {
      if (event === 'incident.changed' || event === 'incidents.changed' || event === 'camera.changed') this.liveDirty = 'all';
      else if (event === 'units.changed' && this.liveDirty === 'none') this.liveDirty = 'units';
    });
  }

  query(ctx: CallContext, q: string, limit: number): SearchHit[] {
    const hits = [...this.pack().search(q, limit), ...this.live().search(q, limit)].sort((a, b) => b.score - a.score).slice(0, limit);
    const incidents = hits.filter((h) => h.kind === 'incident');
    if (incidents.length > 0) {
      this.sources.store.audit.append({
        t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'incident.search',
        target: incidents.map((h) => h.id).join(' ').slice(0, 500), reason: `search: ${q}`.slice(0, 200), origin: ctx.origin,
      });
    }
    return hits;
  }

  close(): void {
    this.unsubscribe();
  }

  private pack(): SearchIndex {
    return (this.packIndex ??= new SearchIndex(packEntries(this.sources.pack(), this.sources.packDir)));
  }

  private live(): SearchIndex {
    const now = Date.now();
    if (!this.liveIndex || this.liveDirty === 'all' || (this.liveDirty === 'units' && now - this.liveBuiltAt >= UNIT_REFRESH_MS)) {
      this.liveDirty = 'none';
      this.liveBuiltAt = now;
      // Most texts are the same as at the last build (an incident changed, a unit moved): their words are reused.
      this.liveIndex = new SearchIndex(liveEntries(this.sources.store, this.sources.incidentLimit ?? 5_000), this.liveIndex?.wordsOf, { scan: true });
    }
    return this.liveIndex;
  }
}

type Feature = { geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> | null };
type FC = { features?: unknown[] } | undefined;

/** A point to fly to for a district: the middle of its outer ring's vertices, or its first point. */
function anchor(f: Feature): [number, number] | null {
  const g = f.geometry;
  if (!g) return null;
  if (g.type === 'Point') return g.coordinates as [number, number];
  const ring = (g.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]?.[0] : null) ?? [];
  if (ring.length === 0) return null;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of ring) {
    w = Math.min(w, x!); e = Math.max(e, x!); s = Math.min(s, y!); n = Math.max(n, y!);
  }
  return [(w + e) / 2, (s + n) / 2];
}

function named(fc: FC, kind: IndexEntry['kind']): IndexEntry[] {
  const out: IndexEntry[] = [];
  ((fc?.features ?? []) as Feature[]).forEach((f, i) => {
    const name = f.properties?.name;
    const at = anchor(f);
    if (typeof name === 'string' && name && at) {
      const arrondissement = f.properties?.arrondissement;
      out.push({ kind, id: `${kind}:${i}`, label: name, ...(typeof arrondissement === 'string' ? { detail: arrondissement, also: arrondissement } : {}), lon: at[0], lat: at[1] });
    }
  });
  return out;
}

/** The pack's entries: districts, stops, points of interest, and its search.json (or, for the built-in pack, the shared Marseille street index). */
export function packEntries(pack: CityPack, packDir: string | null): IndexEntry[] {
  const entries = [...named(pack.districts, 'district'), ...named(pack.metro, 'stop'), ...named(pack.pois, 'place')];
  const file = packDir ? readPackSearch(packDir) : null;
  if (file) return [...entries, ...packSearchEntries(file)];
  if (packDir) return entries;
  // The built-in Marseille pack: its well-known places, and the OSM street index when the shared data is there.
  BUILTIN_PLACES.forEach((p, i) => entries.push({ kind: 'place', id: `builtin:${i}`, label: p.name, detail: p.district, lon: p.lon, lat: p.lat }));
  const shared = sharedDataDir();
  const streets = shared ? path.join(shared, 'marseille', 'streets_index_osm.json') : null;
  if (streets && fs.existsSync(streets)) {
    const rows = JSON.parse(fs.readFileSync(streets, 'utf8')) as { name?: string; quartier?: string; centroid?: [number, number] }[];
    rows.forEach((r, i) => {
      if (r.name && r.centroid) entries.push({ kind: 'street', id: `street:${i}`, label: r.name, ...(r.quartier ? { detail: r.quartier, also: r.quartier } : {}), lon: r.centroid[0], lat: r.centroid[1] });
    });
  }
  const monuments = shared ? path.join(shared, 'marseille', 'monuments.geojson') : null;
  if (monuments && fs.existsSync(monuments) && (pack.pois?.features.length ?? 0) === 0) {
    const fc = JSON.parse(fs.readFileSync(monuments, 'utf8')) as FC;
    entries.push(...named(fc, 'place').map((e) => ({ ...e, id: `monument:${e.id}` })));
  }
  return entries;
}

/** Cameras, units (by callsign) and the most recent incidents (by id, title, address, category). */
export function liveEntries(store: Store, incidentLimit: number): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const c of store.cameras.list()) entries.push({ kind: 'camera', id: c.id, label: c.name ?? c.externalId, also: c.externalId, lon: c.lon, lat: c.lat });
  for (const u of store.units.list()) entries.push({ kind: 'unit', id: u.id, label: u.callsign ?? u.unitId, detail: u.unitType, also: u.unitId, lon: u.lon, lat: u.lat });
  for (const i of store.incidents.list({ limit: incidentLimit })) {
    entries.push({
      kind: 'incident', id: i.id, label: i.title || i.id, detail: [i.externalId, i.address].filter(Boolean).join(' · '),
      also: [i.externalId, i.id, i.address, i.category.replace(/_/g, ' ')].filter(Boolean).join(' '), lon: i.lon, lat: i.lat,
    });
  }
  return entries;
}
