import { describe, expect, it } from 'vitest';
import { cellKey, keyX, keyY, makeGrid, protocolOrigin, tieBreak } from './grid';

// The formula as written in shared/tools/forecast-eval.mjs, kept verbatim here as the reference.
const evalCell = (lon: number, lat: number, lon0: number, lat0: number, cellM: number) => {
  const kx = 111320 * Math.cos(lat0 * Math.PI / 180) / cellM, ky = 110540 / cellM;
  return [Math.floor((lon - lon0) * kx), Math.floor((lat - lat0) * ky)];
};

describe('the protocol grid', () => {
  it('places a known Houston point in the cell the evaluation script computes', () => {
    const grid = makeGrid({ lon0: -97.1, lat0: 29.4, cellM: 150 });
    const [lon, lat] = [-95.4373883, 29.6779015];
    // 111320 * cos(29.4°) / 150 = 646.55 cells per degree of longitude; 1.6626° east of the origin = cell 1074.96, so 1074.
    expect([grid.cellX(lon), grid.cellY(lat)]).toEqual([1074, 204]);
    expect([grid.cellX(lon), grid.cellY(lat)]).toEqual(evalCell(lon, lat, -97.1, 29.4, 150));
  });

  it('agrees with the script on many points, west and east, including negative cells', () => {
    for (let i = 0; i < 1000; i++) {
      const lon = -123 + i * 0.37, lat = 45.3 + ((i * 0.0137) % 0.4) - 0.05;
      const grid = makeGrid({ lon0: -122.9, lat0: 45.3, cellM: 75 });
      expect([grid.cellX(lon), grid.cellY(lat)]).toEqual(evalCell(lon, lat, -122.9, 45.3, 75));
    }
  });

  it('picks the origin the script picks: minimum lon and lat floored to 0.1 degree', () => {
    expect(protocolOrigin([-95.43, -97.02, -95.1], [29.67, 29.48, 37.3])).toEqual({ lon0: -97.1, lat0: 29.4 });
  });

  it('packs cells into distinct numeric keys and back', () => {
    for (const [x, y] of [[0, 0], [-5, 7], [123456, -98765], [-1, -1]] as const) {
      expect([keyX(cellKey(x, y)), keyY(cellKey(x, y))]).toEqual([x, y]);
    }
    expect(cellKey(1, -1)).not.toBe(cellKey(-1, 1));
  });

  it('reproduces the script tie-break (FNV-1a of "x,y")', () => {
    let h = 2166136261;
    for (const ch of '12,-3') h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    expect(tieBreak(12, -3)).toBe((h >>> 0) / 4294967296);
  });
});
