// Bundled into the page by bench/render.mjs: the layers' attribute builders, exactly as the map runs them.
import { buildIncidentAttributes, clusterIncidents, type IncidentPoint } from '../renderer/map/layers/incidentAttributes';
import { buildUnitAttributes, type UnitPoint } from '../renderer/map/layers/unitAttributes';

const CATEGORIES = ['theft', 'assault', 'noise', 'fire', 'medical', 'traffic_accident'];
const STATUSES = ['new', 'acknowledged', 'dispatched', 'on_scene', 'closed'] as const;

function incidents(n: number): IncidentPoint[] {
  const out: IncidentPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = { id: `f:${i}`, lon: 5.3 + Math.random() * 0.2, lat: 43.2 + Math.random() * 0.15, priority: 1 + (i % 4), status: STATUSES[i % 5]!, category: CATEGORIES[i % 6]! };
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function benchIncidents(n: number, runs: number) {
  const data = incidents(n);
  const samples: number[] = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const { ms, value } = time(() => buildIncidentAttributes(data));
    samples.push(ms);
    bytes = value.positions.byteLength + value.colors.byteLength + value.radii.byteLength + value.priorities.byteLength;
  }
  const attrs = buildIncidentAttributes(data);
  const cluster = time(() => clusterIncidents(attrs, 11));
  return { n, buildMs: samples, medianBuildMs: median(samples), typedArrayBytes: bytes, clusterMsAtZoom11: cluster.ms, clusters: cluster.value.length };
}

function unitPoints(n: number): UnitPoint[] {
  return Array.from({ length: n }, (_, i) => ({ id: `u:${String(i).padStart(5, '0')}`, lon: 5.3 + Math.random() * 0.2, lat: 43.2 + Math.random() * 0.15, heading: Math.random() * 359, status: i % 3 ? 'available' : 'en_route' }));
}

function benchUnits(n: number, updates: number) {
  const units = unitPoints(n);
  const samples: number[] = [];
  for (let k = 0; k < updates; k++) {
    // Every unit moves, as in a 1 Hz AVL feed; the layer rebuilds its arrays from the new objects.
    const moved = units.map((u) => ({ ...u, lon: u.lon + 1e-5, lat: u.lat + 1e-5, heading: (u.heading! + 3) % 360 }));
    samples.push(time(() => buildUnitAttributes(moved)).ms);
  }
  return { n, updates, medianUpdateMs: median(samples), p95UpdateMs: percentile(samples, 95), maxUpdateMs: Math.max(...samples) };
}

function median(v: number[]) {
  return percentile(v, 50);
}
function percentile(v: number[], p: number) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

(window as unknown as { runRenderBench: () => unknown }).runRenderBench = () => ({
  incidents100k: benchIncidents(100_000, 5),
  incidents1M: benchIncidents(1_000_000, 3),
  units10k: benchUnits(10_000, 30),
});

/**
 * Memory, step by step, so render.mjs can read the JS heap between steps (over CDP, after a forced
 * GC): 'data' makes the items as the store holds them, 'attributes' builds the layer's typed arrays
 * from them and returns their size (typed arrays live outside the JS heap), 'clear' drops both.
 */
const kept: unknown[] = [];
(window as unknown as { memoryStep: (kind: 'incidents' | 'units', n: number, phase: 'data' | 'attributes' | 'clear') => number }).memoryStep = (kind, n, phase) => {
  if (phase === 'clear') {
    kept.length = 0;
    return 0;
  }
  if (phase === 'data') {
    kept.push(kind === 'incidents' ? incidents(n) : unitPoints(n));
    return 0;
  }
  if (kind === 'incidents') {
    const a = buildIncidentAttributes(kept[0] as IncidentPoint[]);
    kept.push(a);
    return a.positions.byteLength + a.colors.byteLength + a.radii.byteLength + a.priorities.byteLength;
  }
  const u = buildUnitAttributes(kept[0] as UnitPoint[]);
  kept.push(u);
  return u.positions.byteLength + u.angles.byteLength + u.colors.byteLength;
};
