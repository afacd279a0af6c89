/**
 * Label collision on the CPU: the labels that would overlap one kept before them are left out, so a
 * crowded place shows its most important labels readable instead of all of them on top of each
 * other. deck.gl's CollisionFilterExtension does this on the GPU, but under software WebGL it also
 * hid labels that overlapped nothing (the P1 tags of the wall display), and a control room must
 * never lose a label that has room.
 *
 * Boxes are placed in MapLibre's world pixels at the map's zoom (512 px tiles, no pitch: the map
 * is never tilted), centred on the label's anchor plus its pixel offset, and checked against the
 * kept boxes of the grid cells they touch: linear in the number of labels. The zoom is the map's
 * at the end of the last zoom, so labels come back as one zooms in.
 */
export interface LabelBox {
  /** Width and height in pixels. */
  width: number;
  height: number;
  /** Offset of the box's centre from the anchor, in pixels (y down). */
  dx?: number;
  dy?: number;
}

const TILE = 512;

/** Web-Mercator world pixels at `zoom` (MapLibre's convention), y growing southward. */
export function worldPixels(lon: number, lat: number, zoom: number): [number, number] {
  const size = TILE * 2 ** zoom;
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size];
}

/**
 * The labels to draw, in the order given: callers sort by importance (most urgent first), so a
 * P1's label wins over a P3's at the same place. `gap`: pixels kept free around each box.
 */
export function declutter<T>(items: readonly T[], position: (d: T) => [number, number], box: (d: T) => LabelBox, zoom: number, gap = 2): T[] {
  const kept: T[] = [];
  const boxes: [number, number, number, number][] = [];
  const grid = new Map<string, number[]>();
  let cell = 0;
  for (const d of items) {
    const b = box(d);
    cell = Math.max(cell, b.width + gap, b.height + gap);
  }
  if (cell === 0) return [...items];
  for (const d of items) {
    const [lon, lat] = position(d);
    const b = box(d);
    const [x, y] = worldPixels(lon, lat, zoom);
    const cx = x + (b.dx ?? 0);
    const cy = y + (b.dy ?? 0);
    const r: [number, number, number, number] = [cx - b.width / 2 - gap, cy - b.height / 2 - gap, cx + b.width / 2 + gap, cy + b.height / 2 + gap];
    const keys: string[] = [];
    for (let i = Math.floor(r[0] / cell); i <= Math.floor(r[2] / cell); i++) for (let j = Math.floor(r[1] / cell); j <= Math.floor(r[3] / cell); j++) keys.push(`${i}:${j}`);
    const hits = keys.some((k) => (grid.get(k) ?? []).some((n) => {
      const o = boxes[n]!;
      return r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3];
    }));
    if (hits) continue;
    const n = boxes.push(r) - 1;
    for (const k of keys) {
      const list = grid.get(k);
      if (list) list.push(n);
      else grid.set(k, [n]);
    }
    kept.push(d);
  }
  return kept;
}

/** A text label's box: about 0.6 em per character, one line height per line. */
export function textBox(text: string, size: number, dy = 0): LabelBox {
  const lines = text.split('\n');
  return { width: Math.max(...lines.map((l) => l.length)) * size * 0.6, height: lines.length * size * 1.2, dy };
}
