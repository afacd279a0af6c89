import { haversineM } from '../../../common/geo/distance';
import { readRoadGraph, reverseGraph, type ModeGraph, type RoadGraph } from './roadGraph';
import { TRAVEL_MODES, type TravelMode } from './roadRules';

/** A point farther than this from every road of its mode is off the network: no road answer for it. */
export const SNAP_MAX_M = 500;
/** Grid cell, degrees (~200 m north–south): a nearest-node lookup reads a handful of cells. */
const CELL_DEG = 0.002;

export interface Snap { node: number; distanceM: number }

/** Nodes bucketed on a lon/lat grid, for the nearest node of a mode. */
class NodeGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(private readonly g: RoadGraph, nodes: Iterable<number>) {
    for (const i of nodes) {
      const key = this.key(Math.floor(g.lon[i]! / CELL_DEG), Math.floor(g.lat[i]! / CELL_DEG));
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = []));
      cell.push(i);
    }
  }

  private key(cx: number, cy: number): number {
    return (cx + 200_000) * 400_000 + (cy + 100_000);
  }

  nearest(lon: number, lat: number, maxM: number): Snap | null {
    const cx = Math.floor(lon / CELL_DEG), cy = Math.floor(lat / CELL_DEG);
    // A cell is at least this many metres wide (east–west shrinks with latitude).
    const cellM = CELL_DEG * 111_320 * Math.max(0.2, Math.cos((lat * Math.PI) / 180));
    const rings = Math.ceil(maxM / cellM) + 1;
    // Compared on a local flat projection (exact to a fraction of a percent over a few hundred
    // metres); only the winner's distance is measured on the sphere.
    const kx = 111_320 * Math.cos((lat * Math.PI) / 180), ky = 110_574;
    let best = -1, bestD = maxM * 1.01;
    for (let r = 0; r <= rings; r++) {
      // Every point of ring r is at least (r - 1) cells away: stop once that beats the best found.
      if (best >= 0 && (r - 1) * cellM > bestD) break;
      for (let dx = -r; dx <= r; dx++) {
        const edge = Math.abs(dx) === r;
        for (let dy = -r; dy <= r; dy += edge ? 1 : 2 * r) {
          const cell = this.cells.get(this.key(cx + dx, cy + dy));
          if (!cell) continue;
          for (const i of cell) {
            const d = Math.hypot((this.g.lon[i]! - lon) * kx, (this.g.lat[i]! - lat) * ky);
            if (d < bestD) { best = i; bestD = d; }
          }
          if (r === 0) break;
        }
      }
    }
    if (best < 0) return null;
    const distanceM = haversineM({ lon, lat }, { lon: this.g.lon[best]!, lat: this.g.lat[best]! });
    return distanceM <= maxM ? { node: best, distanceM } : null;
  }
}

/** Shortest travel times from the sources, and the edge each node was reached by. */
export interface Tree { timeS: Float64Array; lengthM: Float64Array; via: Int32Array }

/** Dijkstra with a binary heap on typed arrays; several sources make it a multi-source search. */
export function shortestTree(g: ModeGraph, n: number, sources: readonly { node: number; timeS: number }[], maxTimeS = Infinity): Tree {
  const timeS = new Float64Array(n).fill(Infinity);
  const lengthM = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  let heapNode = new Int32Array(64), heapKey = new Float64Array(64), size = 0;
  const push = (node: number, key: number) => {
    if (size === heapNode.length) {
      const nn = new Int32Array(size * 2); nn.set(heapNode); heapNode = nn;
      const nk = new Float64Array(size * 2); nk.set(heapKey); heapKey = nk;
    }
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapKey[p]! <= key) break;
      heapNode[i] = heapNode[p]!; heapKey[i] = heapKey[p]!; i = p;
    }
    heapNode[i] = node; heapKey[i] = key;
  };
  const pop = () => {
    const top = heapNode[0]!;
    const node = heapNode[--size]!, key = heapKey[size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && heapKey[c + 1]! < heapKey[c]!) c++;
      if (heapKey[c]! >= key) break;
      heapNode[i] = heapNode[c]!; heapKey[i] = heapKey[c]!; i = c;
    }
    heapNode[i] = node; heapKey[i] = key;
    return top;
  };
  for (const s of sources) {
    if (s.timeS < timeS[s.node]!) { timeS[s.node] = s.timeS; lengthM[s.node] = 0; push(s.node, s.timeS); }
  }
  while (size > 0) {
    const u = pop();
    if (done[u]) continue;
    done[u] = 1;
    const tu = timeS[u]!;
    if (tu > maxTimeS) break;
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      const v = g.targets[e]!;
      const t = tu + g.timeS[e]!;
      if (t < timeS[v]!) { timeS[v] = t; lengthM[v] = lengthM[u]! + g.lengthM[e]!; via[v] = e; push(v, t); }
    }
  }
  return { timeS, lengthM, via };
}

export interface RouteResult {
  distanceM: number;
  timeS: number;
  /** The way drawn from start to end, [lon, lat] points. */
  path: [number, number][];
  /** Straight legs from each point to its nearest road node, included in distance and time. */
  snapM: [number, number];
}

/**
 * A city pack's road network, ready to route: the graph, each mode's reversed graph (for searches
 * towards one point) and a grid of the nodes each mode can use.
 */
export class Router {
  readonly n: number;
  private readonly reversed: Record<TravelMode, ModeGraph & { forward: Uint32Array }>;
  private readonly grids: Record<TravelMode, NodeGrid>;

  constructor(readonly graph: RoadGraph) {
    this.n = graph.lon.length;
    this.reversed = {} as Router['reversed'];
    this.grids = {} as Router['grids'];
    for (const mode of TRAVEL_MODES) {
      const g = graph.modes[mode];
      this.reversed[mode] = reverseGraph(g, this.n);
      const used = new Set<number>();
      for (let i = 0; i < this.n; i++) if (g.offsets[i + 1]! > g.offsets[i]!) used.add(i);
      for (const t of g.targets) used.add(t);
      this.grids[mode] = new NodeGrid(graph, used);
    }
  }

  static load(file: string): Router {
    return new Router(readRoadGraph(file));
  }

  snap(mode: TravelMode, lon: number, lat: number, maxM = SNAP_MAX_M): Snap | null {
    return this.grids[mode].nearest(lon, lat, maxM);
  }

  /** Walking speed for the snap legs, m/s: the mode's slowest sensible pace. */
  private snapSpeed(mode: TravelMode): number {
    return mode === 'foot' ? 5 / 3.6 : 20 / 3.6;
  }

  /** One route, start to end; null when either end is off the network or no road joins them. */
  route(mode: TravelMode, from: { lon: number; lat: number }, to: { lon: number; lat: number }): RouteResult | null {
    const a = this.snap(mode, from.lon, from.lat), b = this.snap(mode, to.lon, to.lat);
    if (!a || !b) return null;
    const tree = shortestTree(this.graph.modes[mode], this.n, [{ node: a.node, timeS: 0 }]);
    if (!Number.isFinite(tree.timeS[b.node]!)) return null;
    const edges: number[] = [];
    for (let v = b.node; tree.via[v]! >= 0; ) {
      const e = tree.via[v]!;
      edges.push(e);
      v = this.sourceOf(this.graph.modes[mode], e);
    }
    edges.reverse();
    const path = this.drawEdges(this.graph.modes[mode], a.node, edges);
    const snapTime = (a.distanceM + b.distanceM) / this.snapSpeed(mode);
    return { distanceM: tree.lengthM[b.node]! + a.distanceM + b.distanceM, timeS: tree.timeS[b.node]! + snapTime, path: [[from.lon, from.lat], ...path, [to.lon, to.lat]], snapM: [a.distanceM, b.distanceM] };
  }

  /**
   * Travel towards one target from everywhere: ONE search over the reversed graph. Answers, for
   * any point, the time and distance to the target and the way there, without another search.
   */
  towards(mode: TravelMode, to: { lon: number; lat: number }): Towards | null {
    const b = this.snap(mode, to.lon, to.lat);
    if (!b) return null;
    const rev = this.reversed[mode];
    const tree = shortestTree(rev, this.n, [{ node: b.node, timeS: b.distanceM / this.snapSpeed(mode) }]);
    return {
      reach: (from) => {
        const a = this.snap(mode, from.lon, from.lat);
        if (!a || !Number.isFinite(tree.timeS[a.node]!)) return null;
        return { distanceM: tree.lengthM[a.node]! + a.distanceM + b.distanceM, timeS: tree.timeS[a.node]! + a.distanceM / this.snapSpeed(mode), node: a.node };
      },
      path: (from, node) => {
        const fwd = this.graph.modes[mode];
        const edges: number[] = [];
        // In the reversed tree, a node's "via" edge leads one step closer to the target.
        for (let v = node; tree.via[v]! >= 0; ) {
          const re = tree.via[v]!;
          edges.push(rev.forward[re]!);
          v = fwd.targets[rev.forward[re]!]!;
        }
        return [[from.lon, from.lat], ...this.drawEdges(fwd, node, edges), [to.lon, to.lat]];
      },
    };
  }

  /** Multi-source search from several points at once: the travel time to every node, up to maxTimeS. */
  fromMany(mode: TravelMode, points: readonly { lon: number; lat: number }[], maxTimeS: number): Float64Array {
    const sources = points.flatMap((p) => {
      const s = this.snap(mode, p.lon, p.lat);
      return s ? [{ node: s.node, timeS: s.distanceM / this.snapSpeed(mode) }] : [];
    });
    return shortestTree(this.graph.modes[mode], this.n, sources, maxTimeS).timeS;
  }

  private sourceOf(g: ModeGraph, e: number): number {
    // Binary search of the CSR offsets: the node whose edge range holds e.
    let lo = 0, hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (g.offsets[mid]! <= e) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The points of consecutive edges from `start`, following each edge's drawn shape. */
  drawEdges(g: ModeGraph, start: number, edges: readonly number[]): [number, number][] {
    const G = this.graph;
    const out: [number, number][] = [[G.lon[start]!, G.lat[start]!]];
    for (const e of edges) {
      const s = g.shape[e]!;
      if (s !== -1) {
        const idx = s >= 0 ? s : ~s;
        const pts: [number, number][] = [];
        for (let k = G.shapeOffsets[idx]!; k < G.shapeOffsets[idx + 1]!; k++) pts.push([G.shapeLon[k]!, G.shapeLat[k]!]);
        if (s < 0) pts.reverse();
        out.push(...pts);
      }
      const to = g.targets[e]!;
      out.push([G.lon[to]!, G.lat[to]!]);
    }
    return out;
  }
}

export interface Towards {
  reach(from: { lon: number; lat: number }): { distanceM: number; timeS: number; node: number } | null;
  path(from: { lon: number; lat: number }, node: number): [number, number][];
}
