/**
 * Which roads each travel mode may use and how fast, from OSM-style tags (highway, oneway,
 * maxspeed, junction) as OSMnx, osmium or ogr2ogr export them. Documented in docs/routing.md;
 * the tests re-implement these rules independently in Python (networkx), so change both.
 */

import { own } from '../../../common/own';

export type TravelMode = 'vehicle' | 'foot';
export const TRAVEL_MODES: readonly TravelMode[] = ['vehicle', 'foot'];

/** Classes a vehicle may drive on, with the speed (km/h) used when the way has no usable maxspeed. */
export const VEHICLE_SPEED_KMH: Readonly<Record<string, number>> = {
  motorway: 110, motorway_link: 60, trunk: 90, trunk_link: 50,
  primary: 50, primary_link: 40, secondary: 50, secondary_link: 40, tertiary: 50, tertiary_link: 30,
  unclassified: 40, residential: 30, living_street: 20, service: 20, road: 30,
};

/** Classes nobody walks on; every other class (paths, tracks, steps, footways, streets) is walkable. */
export const NOT_WALKABLE: ReadonlySet<string> = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link', 'bus_guideway', 'raceway', 'construction', 'proposed', 'abandoned', 'platform']);

/** Walking speed, km/h, on every walkable way. */
export const FOOT_SPEED_KMH = 5;

/** Named French limits (OSM "FR:…" implicit values); "walk" is a walking pace. */
const NAMED_LIMITS: Readonly<Record<string, number>> = {
  'fr:urban': 50, 'fr:rural': 80, 'fr:motorway': 130, 'fr:trunk': 110, 'fr:zone30': 30, 'fr:zone20': 20, 'fr:walk': 6, walk: 6, 'fr:living_street': 20,
};

/** OSMnx writes a merged edge's tags as Python lists in text: "['footway', 'steps']". */
export function tagValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  const s = String(value).trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    return s.slice(1, -1).split(',').map((x) => x.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean);
  }
  return s ? [s] : [];
}

/** One maxspeed value in km/h: "50", "50 mph", "30 km/h", "FR:urban"; null when unusable ("none", "signals"). */
export function parseMaxspeed(value: string): number | null {
  const s = value.trim().toLowerCase();
  const named = own(NAMED_LIMITS, s);
  if (named !== undefined) return named;
  const m = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph)?$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  return m[2] === 'mph' ? n * 1.609344 : n;
}

/** Direction a way may be driven in, relative to its drawing order. */
export type Direction = 'both' | 'forward' | 'backward';

export function directionOf(tags: Record<string, unknown>, classes: string[]): Direction {
  const oneway = tagValues(tags.oneway)[0]?.toLowerCase();
  if (oneway === '-1' || oneway === 'reverse') return 'backward';
  if (oneway === 'yes' || oneway === 'true' || oneway === '1') return 'forward';
  if (oneway === 'no' || oneway === 'false' || oneway === '0') return 'both';
  // Untagged: roundabouts and motorways are one-way by OSM convention.
  if (tagValues(tags.junction).includes('roundabout') || classes.includes('motorway')) return 'forward';
  return 'both';
}

/**
 * Speed in km/h for a mode on a way, or null when the mode may not use it. A merged way with
 * several classes is drivable only if every class is, at the slowest of their speeds.
 */
export function speedKmh(mode: TravelMode, tags: Record<string, unknown>): number | null {
  const classes = tagValues(tags.highway);
  if (classes.length === 0) return null;
  if (mode === 'foot') return classes.some((c) => NOT_WALKABLE.has(c)) ? null : FOOT_SPEED_KMH;
  if (!classes.every((c) => c in VEHICLE_SPEED_KMH)) return null;
  const limits = tagValues(tags.maxspeed).map(parseMaxspeed).filter((v): v is number => v !== null);
  if (limits.length > 0) return Math.min(...limits);
  return Math.min(...classes.map((c) => VEHICLE_SPEED_KMH[c]!));
}
