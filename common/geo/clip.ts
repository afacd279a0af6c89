export type Ring = [number, number][];
export type BBox = [west: number, south: number, east: number, north: number];

/**
 * Clips a polygon ring to a rectangle (Sutherland–Hodgman). Used to cut a country-sized coastline
 * down to the city's surroundings before it crosses a port.
 */
export function clipRing(ring: Ring, [w, s, e, n]: BBox): Ring {
  const edges: ((p: [number, number]) => boolean)[] = [(p) => p[0] >= w, (p) => p[0] <= e, (p) => p[1] >= s, (p) => p[1] <= n];
  const cut: ((a: [number, number], b: [number, number]) => [number, number])[] = [
    (a, b) => [w, a[1] + ((b[1] - a[1]) * (w - a[0])) / (b[0] - a[0])],
    (a, b) => [e, a[1] + ((b[1] - a[1]) * (e - a[0])) / (b[0] - a[0])],
    (a, b) => [a[0] + ((b[0] - a[0]) * (s - a[1])) / (b[1] - a[1]), s],
    (a, b) => [a[0] + ((b[0] - a[0]) * (n - a[1])) / (b[1] - a[1]), n],
  ];
  let out = ring;
  for (let k = 0; k < 4 && out.length > 0; k++) {
    const inside = edges[k]!;
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut[k]!(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cut[k]!(prev, cur));
      }
    }
  }
  return out;
}

export function ringIntersects(ring: Ring, [w, s, e, n]: BBox): boolean {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX <= e && maxX >= w && minY <= n && maxY >= s;
}
