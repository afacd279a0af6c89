import type { Unit } from '../../../common/domain/entities';
import type { RGBA } from './icons';
import { own } from '../../../common/own';

/** Status words of CAD systems and the demo, mapped to four colours; anything else is grey. */
export const UNIT_STATUS_COLORS: Record<string, RGBA> = {
  available: [52, 199, 89, 255],
  en_route: [255, 159, 10, 255],
  on_scene: [191, 90, 242, 255],
  unavailable: [142, 142, 147, 255],
};
const OTHER: RGBA = [174, 184, 200, 255];

export const unitColor = (status: string | undefined): RGBA => (status && own(UNIT_STATUS_COLORS, status)) || OTHER;

export type UnitPoint = Pick<Unit, 'id' | 'lon' | 'lat' | 'heading' | 'status'> & Partial<Pick<Unit, 't' | 'expiresAt'>>;

/** A unit fades over the last part of its validity (CoT `stale`): the last third, at least this long… */
export const FADE_MIN_MS = 30_000;
/** …down to this opacity at its stale time; after it, the unit is not drawn at all. */
export const FADED_ALPHA = 0.3;

/**
 * How visible a unit is at `now`: 1 while its report is fresh, fading towards FADED_ALPHA as its
 * stale time nears, 0 (not drawn) once it has passed: an expired position must not look current.
 */
export function unitAlpha(u: Pick<UnitPoint, 't' | 'expiresAt'>, now: number): number {
  if (u.expiresAt === undefined) return 1;
  const remaining = u.expiresAt - now;
  if (remaining <= 0) return 0;
  const validity = u.t !== undefined ? u.expiresAt - u.t : FADE_MIN_MS * 3;
  const fade = Math.max(FADE_MIN_MS, validity / 3);
  if (remaining >= fade) return 1;
  return FADED_ALPHA + (1 - FADED_ALPHA) * (remaining / fade);
}

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

export function buildUnitAttributes(units: readonly UnitPoint[], now = Number.NEGATIVE_INFINITY): UnitAttributes {
  const sorted = units.filter((u) => unitAlpha(u, now) > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
    if (u.expiresAt !== undefined) colors[4 * i + 3] = Math.round(c[3] * unitAlpha(u, now));
  }
  return { length: n, ids, positions, angles, colors };
}
