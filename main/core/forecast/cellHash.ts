/**
 * Which cell index sits at grid (x, y): open addressing over typed arrays. Neighbour searches do
 * millions of these lookups; a Map keyed by packed numbers is several times slower, and a flat
 * array over the bounding box breaks down when one mis-geocoded event lies hundreds of km away.
 */
export class CellHash {
  private readonly xs: Int32Array;
  private readonly ys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(cellX: Int32Array, cellY: Int32Array) {
    let capacity = 16;
    while (capacity < cellX.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.xs = new Int32Array(capacity);
    this.ys = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    for (let c = 0; c < cellX.length; c++) {
      let s = slotOf(cellX[c]!, cellY[c]!, this.mask);
      while (this.values[s]! >= 0) s = (s + 1) & this.mask;
      this.xs[s] = cellX[c]!; this.ys[s] = cellY[c]!; this.values[s] = c;
    }
  }

  /** The cell index at (x, y), or -1. */
  get(x: number, y: number): number {
    for (let s = slotOf(x, y, this.mask); ; s = (s + 1) & this.mask) {
      const v = this.values[s]!;
      if (v < 0 || (this.xs[s] === x && this.ys[s] === y)) return v;
    }
  }
}

/** Sums of values keyed by grid (x, y), for cells that need not exist in any history. Grows as needed. */
export class CellAccumulator {
  private xs: Int32Array;
  private ys: Int32Array;
  private sums: Float64Array;
  private used: Uint8Array;
  private mask: number;
  private size = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.xs = new Int32Array(capacity); this.ys = new Int32Array(capacity);
    this.sums = new Float64Array(capacity); this.used = new Uint8Array(capacity);
  }

  add(x: number, y: number, v: number): void {
    let s = slotOf(x, y, this.mask);
    while (this.used[s] === 1 && (this.xs[s] !== x || this.ys[s] !== y)) s = (s + 1) & this.mask;
    if (this.used[s] === 0) {
      this.used[s] = 1; this.xs[s] = x; this.ys[s] = y; this.size++;
      if (this.size * 2 > this.mask) { this.sums[s] = v; this.grow(); return; }
    }
    this.sums[s]! += v;
  }

  get(x: number, y: number): number {
    for (let s = slotOf(x, y, this.mask); this.used[s] === 1; s = (s + 1) & this.mask) {
      if (this.xs[s] === x && this.ys[s] === y) return this.sums[s]!;
    }
    return 0;
  }

  private grow(): void {
    const { xs, ys, sums, used } = this;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.xs = new Int32Array(capacity); this.ys = new Int32Array(capacity);
    this.sums = new Float64Array(capacity); this.used = new Uint8Array(capacity);
    for (let s = 0; s < used.length; s++) {
      if (used[s] !== 1) continue;
      let t = slotOf(xs[s]!, ys[s]!, this.mask);
      while (this.used[t] === 1) t = (t + 1) & this.mask;
      this.used[t] = 1; this.xs[t] = xs[s]!; this.ys[t] = ys[s]!; this.sums[t] = sums[s]!;
    }
  }
}

function slotOf(x: number, y: number, mask: number): number {
  return ((Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) >>> 0) & mask;
}
