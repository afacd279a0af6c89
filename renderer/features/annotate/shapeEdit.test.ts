import { describe, expect, it } from 'vitest';
import { dragHandle, handlesOf } from './shapeEdit';
import { metresBetween } from '../../../common/geo/local';

const SQUARE: [number, number][] = [[5.368, 43.292], [5.374, 43.292], [5.374, 43.297], [5.368, 43.297]];

describe('shape edit handles', () => {
  it('a polygon has one handle per vertex, then one that moves it whole', () => {
    const polygon = { shape: 'polygon' as const, coordinates: SQUARE };
    expect(handlesOf(polygon).map((h) => h.kind)).toEqual(['vertex', 'vertex', 'vertex', 'vertex', 'move']);
    expect(dragHandle(polygon, 1, [5.380, 43.291]).coordinates).toEqual([SQUARE[0], [5.380, 43.291], SQUARE[2], SQUARE[3]]);
    const moved = dragHandle(polygon, 4, [5.371 + 0.01, 43.2945 + 0.002]).coordinates;
    moved.forEach(([lon, lat], i) => {
      expect(lon).toBeCloseTo(SQUARE[i]![0] + 0.01, 9);
      expect(lat).toBeCloseTo(SQUARE[i]![1] + 0.002, 9);
    });
  });

  it('a circle moves by its centre and resizes by its edge handle, keeping the other', () => {
    const circle = { shape: 'circle' as const, coordinates: [[5.3747, 43.2951]] as [number, number][], radiusM: 300 };
    const [centre, edge] = handlesOf(circle);
    expect(centre!.kind).toBe('move');
    expect(metresBetween(circle.coordinates[0]!, edge!.at)).toBeCloseTo(300, 0);
    expect(dragHandle(circle, 0, [5.38, 43.30])).toEqual({ coordinates: [[5.38, 43.30]], radiusM: 300 });
    const bigger = dragHandle(circle, 1, [5.3747 + 500 / (111_320 * Math.cos((43.2951 * Math.PI) / 180)), 43.2951]);
    expect(bigger).toEqual({ coordinates: circle.coordinates, radiusM: 500 });
  });

  it('a point or a text moves as one', () => {
    expect(handlesOf({ shape: 'text', coordinates: [[5.37, 43.29]] }).map((h) => h.kind)).toEqual(['move']);
    expect(dragHandle({ shape: 'point', coordinates: [[5.37, 43.29]] }, 0, [5.371, 43.291]).coordinates).toEqual([[5.371, 43.291]]);
  });
});
