import { CellAccumulator } from './cellHash';

/** A normalised 1-D Gaussian over offsets -radius..radius (index offset + radius). */
export function gaussianTaps(sigmaCells: number, radius: number): Float64Array {
  const r = Math.floor(radius);
  const taps = new Float64Array(2 * r + 1);
  let norm = 0;
  for (let d = -r; d <= r; d++) norm += (taps[d + r] = Math.exp(-(d * d) / (2 * sigmaCells * sigmaCells)));
  for (let i = 0; i < taps.length; i++) taps[i]! /= norm;
  return taps;
}

/**
 * Gaussian smoothing of per-cell values, returned at the same cells. A Gaussian is separable, so
 * it runs as a pass along y into an accumulator (which may create cells with no history: mass
 * passes through them) and a pass along x read back at the given cells. The kernel is the square
 * of side 2 * radius + 1, normalised over it; mass landing on cells outside the given set is
 * dropped, not piled onto its neighbours.
 */
export function gaussianBlur(cellX: Int32Array, cellY: Int32Array, values: Float64Array, sigmaCells: number, radius: number): Float64Array {
  const taps = gaussianTaps(sigmaCells, radius);
  const r = (taps.length - 1) / 2;
  const alongY = new CellAccumulator(values.length * (2 * r + 1));
  for (let c = 0; c < values.length; c++) {
    const v = values[c]!;
    if (v === 0) continue;
    const x = cellX[c]!, y = cellY[c]!;
    for (let d = -r; d <= r; d++) alongY.add(x, y + d, v * taps[d + r]!);
  }
  const out = new Float64Array(values.length);
  for (let c = 0; c < values.length; c++) {
    const x = cellX[c]!, y = cellY[c]!;
    let s = 0;
    for (let d = -r; d <= r; d++) s += alongY.get(x + d, y) * taps[d + r]!;
    out[c] = s;
  }
  return out;
}

/**
 * A Gaussian over grid offsets, truncated to the disc of `radius` cells and normalised to sum to 1
 * over it. Indexed by squared distance in cells² (an integer), so neighbour loops look weights up.
 */
export function discreteGaussian(sigmaCells: number, radius: number): Float64Array {
  const r = Math.floor(radius);
  const table = new Float64Array(r * r + 1);
  const inv = 1 / (2 * sigmaCells * sigmaCells);
  let norm = 0;
  for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) {
    const d2 = dx * dx + dy * dy;
    if (d2 <= r * r) norm += Math.exp(-d2 * inv);
  }
  for (let d2 = 0; d2 <= r * r; d2++) table[d2] = Math.exp(-d2 * inv) / norm;
  return table;
}
