import { insidePolygon } from '../../../common/geo/distance';

type Ring = readonly (readonly [number, number])[];
export interface District {
  name: string;
  rings: Ring[];
  bbox: [number, number, number, number];
}

interface FeatureLike { geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> | null }

/** Outer rings of a city pack's district polygons (holes ignored: districts here have none worth a count). */
export function districtsFrom(fc: { features: readonly unknown[] }): District[] {
  const out: District[] = [];
  for (const [i, f] of (fc.features as FeatureLike[]).entries()) {
    if (!f?.geometry) continue;
    const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : []) as Ring[][];
    const rings = polygons.map((p) => p[0]).filter((r): r is Ring => !!r && r.length >= 3);
    if (rings.length === 0) continue;
    const bbox: District['bbox'] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of rings) for (const [lon, lat] of ring) {
      bbox[0] = Math.min(bbox[0], lon); bbox[1] = Math.min(bbox[1], lat); bbox[2] = Math.max(bbox[2], lon); bbox[3] = Math.max(bbox[3], lat);
    }
    const name = f.properties?.name ?? f.properties?.nom ?? `district ${i + 1}`;
    out.push({ name: String(name), rings, bbox });
  }
  return out;
}

export function districtOf(districts: readonly District[], lon: number, lat: number): District | null {
  for (const d of districts) {
    if (lon < d.bbox[0] || lat < d.bbox[1] || lon > d.bbox[2] || lat > d.bbox[3]) continue;
    if (d.rings.some((r) => insidePolygon(lon, lat, r))) return d;
  }
  return null;
}
