import type { ShapeEdit } from '../../stores/annotations';
import { metresBetween, offsetPoint } from '../../../common/geo/local';

type LonLat = [number, number];

/** What a handle does: move one vertex, move the whole shape, or set a circle's radius. */
export type Handle = { kind: 'vertex'; index: number; at: LonLat } | { kind: 'move'; at: LonLat } | { kind: 'radius'; at: LonLat };

const mean = (points: LonLat[]): LonLat => [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];

/** The point on a circle's edge due east of its centre. */
function eastEdge([lon, lat]: LonLat, radiusM: number): LonLat {
  return offsetPoint(lon, lat, Math.PI / 2, radiusM);
}

/**
 * The handles of a shape, in the order X steps through them: each vertex of a line or polygon,
 * then "move it all"; a circle's centre (moves it) then its radius; a point or text, itself.
 */
export function handlesOf(edit: Pick<ShapeEdit, 'shape' | 'coordinates' | 'radiusM'>): Handle[] {
  const { shape, coordinates } = edit;
  if (shape === 'circle') return [{ kind: 'move', at: coordinates[0]! }, { kind: 'radius', at: eastEdge(coordinates[0]!, edit.radiusM ?? 1) }];
  if (shape === 'line' || shape === 'polygon') return [...coordinates.map((at, index) => ({ kind: 'vertex' as const, index, at })), { kind: 'move', at: mean(coordinates) }];
  return [{ kind: 'move', at: coordinates[0]! }];
}

/** The geometry after dragging handle `index` of `edit` to `to`. */
export function dragHandle(edit: Pick<ShapeEdit, 'shape' | 'coordinates' | 'radiusM'>, index: number, to: LonLat): { coordinates: LonLat[]; radiusM?: number } {
  const handle = handlesOf(edit)[index];
  const keep = edit.radiusM !== undefined ? { radiusM: edit.radiusM } : {};
  if (!handle) return { coordinates: edit.coordinates, ...keep };
  if (handle.kind === 'vertex') return { coordinates: edit.coordinates.map((p, i) => (i === handle.index ? to : p)), ...keep };
  if (handle.kind === 'radius') return { coordinates: edit.coordinates, radiusM: Math.max(1, Math.round(metresBetween(edit.coordinates[0]!, to))) };
  const dLon = to[0] - handle.at[0];
  const dLat = to[1] - handle.at[1];
  return { coordinates: edit.coordinates.map(([lon, lat]) => [lon + dLon, lat + dLat]), ...keep };
}
