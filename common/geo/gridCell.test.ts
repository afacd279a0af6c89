import { describe, expect, it } from 'vitest';
import { gridCellShape, laeaForward, laeaInverse, parseGridCell } from './gridCell';

describe('cells of the European statistical grid (EPSG:3035)', () => {
  it('projects the worked example of EPSG Guidance Note 7-2 (50°N 5°E → E 3962799.45, N 2999718.85) and back', () => {
    const [e, n] = laeaForward(5, 50);
    expect(e).toBeCloseTo(3962799.45, 2);
    expect(n).toBeCloseTo(2999718.85, 2);
    const [lon, lat] = laeaInverse(3962799.45, 2999718.85);
    expect(lon).toBeCloseTo(5, 7);
    expect(lat).toBeCloseTo(50, 7);
  });

  it('reads the INSPIRE and Eurostat names of one cell alike, and nothing else', () => {
    const full = parseGridCell('CRS3035RES1000mN2890000E3800000');
    expect(full).toEqual({ id: 'CRS3035RES1000mN2890000E3800000', sizeM: 1000, north: 2890000, east: 3800000 });
    expect(parseGridCell('1kmN2890E3800')).toMatchObject({ sizeM: 1000, north: 2890000, east: 3800000 });
    expect(parseGridCell('100mN28900E38000')).toMatchObject({ sizeM: 100, north: 2890000, east: 3800000 });
    for (const notACell of ['Noailles', 'cell-12', '1kmN2890', 'CRS3035RES0mN1E1']) expect(parseGridCell(notACell)).toBeNull();
  });

  it('places a 1 km cell of Marseille where it is: a square about 1 km wide around its centre', () => {
    // The cell whose corner is the Vieux-Port's projection, rounded down to the kilometre.
    const [e, n] = laeaForward(5.3698, 43.2951);
    const cell = parseGridCell(`1kmN${Math.floor(n / 1000)}E${Math.floor(e / 1000)}`)!;
    const { ring, center } = gridCellShape(cell);
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(center[0]).toBeGreaterThan(5.3698 - 0.02);
    expect(center[0]).toBeLessThan(5.3698 + 0.02);
    expect(center[1]).toBeGreaterThan(43.2951 - 0.01);
    expect(center[1]).toBeLessThan(43.2951 + 0.01);
    // Width along the parallel: ~1 km at 43°N (1° of longitude ≈ 81.3 km there).
    expect((ring[1]![0] - ring[0]![0]) * 81_300).toBeGreaterThan(950);
    expect((ring[1]![0] - ring[0]![0]) * 81_300).toBeLessThan(1_050);
  });
});
