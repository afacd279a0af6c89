import { own } from '../own';

/**
 * Where a CAP alert names its area only by codes (a geocode and no polygon), the city pack may
 * hold those areas as shapes: a district feature whose property for that code system has the
 * code. INSEE commune/arrondissement codes (French alerts), FIPS6/SAME and UGC (NWS) are known
 * by name; any other system matches a property of the same name, lower-cased.
 */
export interface Geocode {
  valueName: string;
  value: string;
}
type Ring = [number, number][];
interface PackFeature {
  geometry: { type: string; coordinates: unknown } | null;
  properties?: Record<string, unknown> | null;
}

const PROPERTIES: Record<string, string[]> = {
  insee: ['insee', 'code_insee', 'insee_com', 'depco', 'insee_arm'],
  inseecommune: ['insee', 'code_insee', 'insee_com', 'depco'],
  insee_commune: ['insee', 'code_insee', 'insee_com', 'depco'],
  insee_departement: ['insee_dep', 'code_dep', 'dep'],
  fips6: ['fips', 'fips6', 'same'],
  fips: ['fips', 'fips6', 'same'],
  same: ['same', 'fips', 'fips6'],
  ugc: ['ugc'],
};

/** Codes compare as text, and as numbers without leading zeros ("006037" is "6037"). */
function sameCode(a: unknown, b: string): boolean {
  if (a === undefined || a === null) return false;
  const s = String(a).trim();
  if (s === b.trim()) return true;
  return /^\d+$/.test(s) && /^\d+$/.test(b.trim()) && s.replace(/^0+/, '') === b.trim().replace(/^0+/, '');
}

/** The outer rings of the pack's shapes that the geocodes name (largest ring of a MultiPolygon part each). */
export function geocodeRings(geocodes: readonly Geocode[], features: readonly PackFeature[]): Ring[] {
  const rings: Ring[] = [];
  const used = new Set<PackFeature>();
  for (const { valueName, value } of geocodes) {
    const system = valueName.trim().toLowerCase();
    const names = own(PROPERTIES, system) ?? [system];
    for (const f of features) {
      if (used.has(f) || !f.geometry || !f.properties) continue;
      if (!names.some((n) => sameCode(f.properties![n], value))) continue;
      used.add(f);
      const polygons = (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : []) as Ring[][];
      for (const p of polygons) if (p[0] && p[0].length >= 4) rings.push(p[0]);
    }
  }
  return rings;
}
