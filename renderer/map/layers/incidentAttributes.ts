import type { Incident } from '../../../common/domain/incident';
import { own } from '../../../common/own';

type RGBA = [number, number, number, number];

/** Priority colours: red for life at risk down to a quiet blue for routine; chosen to read on the dark basemap. */
export const PRIORITY_COLORS: Record<number, RGBA> = {
  1: [255, 59, 48, 255],
  2: [255, 149, 0, 255],
  3: [255, 214, 10, 255],
  4: [90, 200, 250, 255],
};
export const CLOSED_COLOR: RGBA = [142, 142, 147, 150];

/** One symbol per category, from the Unicode blocks every system font covers (no icon file to fetch). */
export const CATEGORY_GLYPHS: Record<string, string> = {
  assault: '!', theft: '$', burglary: '⌂', vandalism: '✗', traffic_accident: '✖', traffic_offence: '»',
  vehicle_removal: '⇥', public_order: '≡', noise: '♪', fire: '▲', medical: '✚', suspicious_package: '■',
  missing_person: '?', other: '•',
};

/** A category's symbol; a category no symbol names (a feed's own word, "constructor" included) gets the dot. */
export const categoryGlyph = (category: string): string => own(CATEGORY_GLYPHS, category) ?? '•';

export type IncidentPoint = Pick<Incident, 'id' | 'lon' | 'lat' | 'priority' | 'status' | 'category'>;

/**
 * Columnar copy of the incidents for deck.gl: positions, colours and radii as typed arrays, so
 * that a million points become four allocations and no per-object accessor calls. Built outside
 * React's render path (in a memo keyed on the incidents' identity), never per frame.
 */
export interface IncidentAttributes {
  length: number;
  ids: string[];
  categories: string[];
  /** lon, lat pairs */
  positions: Float32Array;
  colors: Uint8Array;
  radii: Float32Array;
  /** Priority per point, for aggregation (the worst priority of a cluster colours it). */
  priorities: Uint8Array;
}

export function buildIncidentAttributes(incidents: readonly IncidentPoint[]): IncidentAttributes {
  const n = incidents.length;
  const positions = new Float32Array(n * 2);
  const colors = new Uint8Array(n * 4);
  const radii = new Float32Array(n);
  const priorities = new Uint8Array(n);
  const ids: string[] = new Array<string>(n);
  const categories: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const d = incidents[i]!;
    ids[i] = d.id;
    categories[i] = d.category;
    positions[2 * i] = d.lon;
    positions[2 * i + 1] = d.lat;
    const c = d.status === 'closed' ? CLOSED_COLOR : (PRIORITY_COLORS[d.priority] ?? PRIORITY_COLORS[3]!);
    colors[4 * i] = c[0];
    colors[4 * i + 1] = c[1];
    colors[4 * i + 2] = c[2];
    colors[4 * i + 3] = c[3];
    radii[i] = d.priority <= 2 ? 8 : 6;
    priorities[i] = d.priority;
  }
  return { length: n, ids, categories, positions, colors, radii, priorities };
}

export interface Cluster {
  lon: number;
  lat: number;
  count: number;
  /** Most urgent priority inside. */
  priority: number;
  /** Index of one member, to pick an incident when a cluster holds one. */
  first: number;
}

/**
 * Grid aggregation for low zooms: points fall into square cells of about `cellPx` screen pixels
 * at `zoom`; each cell becomes one cluster at its members' mean position.
 */
export function clusterIncidents(a: IncidentAttributes, zoom: number, cellPx = 56): Cluster[] {
  const cellDeg = (cellPx * 360) / (512 * 2 ** zoom);
  const cells = new Map<number, { x: number; y: number; n: number; p: number; first: number }>();
  for (let i = 0; i < a.length; i++) {
    const lon = a.positions[2 * i]!, lat = a.positions[2 * i + 1]!;
    const key = Math.floor((lon + 180) / cellDeg) * 1_000_003 + Math.floor((lat + 90) / cellDeg);
    const c = cells.get(key);
    if (c) { c.x += lon; c.y += lat; c.n += 1; c.p = Math.min(c.p, a.priorities[i]!); }
    else cells.set(key, { x: lon, y: lat, n: 1, p: a.priorities[i]!, first: i });
  }
  return Array.from(cells.values(), (c) => ({ lon: c.x / c.n, lat: c.y / c.n, count: c.n, priority: c.p, first: c.first }));
}
