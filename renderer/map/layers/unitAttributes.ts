import type { Unit } from '../../../common/domain/entities';
import type { RGBA } from './icons';

/** Status words of CAD systems and the demo, mapped to four colours; anything else is grey. */
export const UNIT_STATUS_COLORS: Record<string, RGBA> = {
  available: [52, 199, 89, 255],
  en_route: [255, 159, 10, 255],
  on_scene: [191, 90, 242, 255],
  unavailable: [142, 142, 147, 255],
};
const OTHER: RGBA = [174, 184, 200, 255];

export const unitColor = (status: string | undefined): RGBA => (status && UNIT_STATUS_COLORS[status]) || OTHER;

export type UnitPoint = Pick<Unit, 'id' | 'lon' | 'lat' | 'heading' | 'status'>;

/**
 * Units as typed arrays, in a stable order (by id) so that deck.gl can interpolate each unit from
 * its previous position to the new one (smooth moves) instead of jumping.
 */
export interface UnitAttributes {
  length: number;
  ids: string[];
  positions: Float32Array;
  /** deck.gl angles are counter-clockwise degrees; headings are clockwise from north. */
  angles: Float32Array;
  colors: Uint8Array;
}

export function buildUnitAttributes(units: readonly UnitPoint[]): UnitAttributes {
  const sorted = [...units].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = sorted.length;
  const positions = new Float32Array(2 * n);
  const angles = new Float32Array(n);
  const colors = new Uint8Array(4 * n);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const u = sorted[i]!;
    ids[i] = u.id;
    positions[2 * i] = u.lon;
    positions[2 * i + 1] = u.lat;
    angles[i] = -(u.heading ?? 0);
    const c = unitColor(u.status);
    colors.set(c, 4 * i);
  }
  return { length: n, ids, positions, angles, colors };
}
