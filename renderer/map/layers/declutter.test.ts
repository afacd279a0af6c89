import { describe, expect, it } from 'vitest';
import { declutter, textBox, worldPixels } from './declutter';

interface Label {
  id: string;
  lon: number;
  lat: number;
  text: string;
}
const at = (d: Label): [number, number] => [d.lon, d.lat];
const box = (d: Label) => textBox(d.text, 13, 18);

describe('label collision', () => {
  it('places points as MapLibre does: 512 px tiles, the world 512 px wide at zoom 0', () => {
    expect(worldPixels(-180, 0, 0)[0]).toBeCloseTo(0);
    expect(worldPixels(0, 0, 0)).toEqual([256, 256]);
    // Marseille's Vieux-Port at zoom 14: Mercator stretches east-west by 1 / cos(latitude), 100 m are about 29 px there.
    const [x1] = worldPixels(5.37, 43.295, 14);
    const [x2] = worldPixels(5.37 + 100 / (111_320 * Math.cos((43.295 * Math.PI) / 180)), 43.295, 14);
    expect(x2 - x1).toBeCloseTo((100 * 2 ** 14 * 512) / (40_075_016 * Math.cos((43.295 * Math.PI) / 180)), 0);
  });

  it('keeps the first of two labels at the same place and drops the second, keeps a label that has room', () => {
    const labels: Label[] = [
      { id: 'P1', lon: 5.37, lat: 43.295, text: 'PS-12' },
      { id: 'P3', lon: 5.37, lat: 43.295, text: 'PS-40' },
      { id: 'far', lon: 5.40, lat: 43.31, text: 'PS-7' },
    ];
    expect(declutter(labels, at, box, 14).map((d) => d.id)).toEqual(['P1', 'far']);
  });

  it('gives labels back as one zooms in: two units 60 m apart collide at zoom 12 and both show at zoom 17', () => {
    const labels: Label[] = [
      { id: 'a', lon: 5.37, lat: 43.295, text: 'Alpha 1' },
      { id: 'b', lon: 5.37 + 60 / 81_000, lat: 43.295, text: 'Bravo 2' },
    ];
    expect(declutter(labels, at, box, 12).map((d) => d.id)).toEqual(['a']);
    expect(declutter(labels, at, box, 17).map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('never drops a label that overlaps nothing, however many there are', () => {
    // A 20 × 20 grid of labels a kilometre apart at zoom 15: none touches another.
    const labels: Label[] = [];
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) labels.push({ id: `${i}-${j}`, lon: 5.3 + i * 0.0124, lat: 43.25 + j * 0.009, text: 'Unit 99' });
    expect(declutter(labels, at, box, 15)).toHaveLength(400);
  });
});
