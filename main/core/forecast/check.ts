import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DistrictCheck, ForecastCheck, CheckScore } from '../../../common/methods/forecasts';
import type { District } from '../indicators/districts';
import { districtOf } from '../indicators/districts';
import { cellKey } from './grid';
import { locateEvents, makeHistory } from './history';
import { liveEvents, liveGrid, LIVE_CELL_M } from './live';
import { CoverageTally } from './intervals';
import { AREA_SHARES, pool, topMask, windowHits, type WindowHits } from './metrics';
import type { ForecastModel } from './model';
import { countAll, countRecent } from './models/baselines';
import { M_PER_DEG_LAT, mPerDegLon } from '../../../common/geo/local';

/** The check looks back at most four weeks, and at most this many forecast windows. */
export const CHECK_MAX_DAYS = 28;
export const CHECK_MAX_WINDOWS = 28;
/** Below this many incidents in the cache a check says so instead of scoring noise. */
export const CHECK_MIN_INCIDENTS = 50;
/** The per-district check is made at 5 % of the area: at 1 % most districts have no flagged cell at all. */
const DISTRICT_SHARE = AREA_SHARES.indexOf(0.05);

export interface CheckInput {
  incidents: readonly { occurredAt: number; lon: number; lat: number; category: string }[];
  now: number;
  horizonHours: number;
  model: ForecastModel;
  districts: readonly District[];
  /** Called between windows so a long check leaves the service responsive (default: setImmediate). */
  pause?: () => Promise<void>;
}

export type CheckOutcome = { check: ForecastCheck; note: null } | { check: null; note: string };

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The rolling-origin protocol (as in backtest.ts) on the cache's own recent weeks, for the live
 * model and the two baselines on the live grid, plus a per-district account at 5 % of the area:
 * share of the flagged area against share of the incidents, and the incidents each model caught
 * there. Each window's forecast sees only the incidents before the window.
 */
export async function runCheck(input: CheckInput): Promise<CheckOutcome> {
  const { now, horizonHours, model, districts } = input;
  const pause = input.pause ?? nextTick;
  const horizonMs = horizonHours * 3_600_000;
  const events = liveEvents(input.incidents, now);
  if (events.length < CHECK_MIN_INCIDENTS) return { check: null, note: `only ${events.length} incidents in the cache: a check needs at least ${CHECK_MIN_INCIDENTS}` };
  const span = now - events.t[0]!;
  const windows = Math.min(CHECK_MAX_WINDOWS, Math.floor(Math.min(CHECK_MAX_DAYS * 864e5, span / 2) / horizonMs));
  if (windows < 1) return { check: null, note: `the cache holds ${(span / 864e5).toFixed(1)} days of incidents: a check of a ${horizonHours} h forecast needs at least ${(2 * horizonHours / 24).toFixed(1)}` };
  const start = now - windows * horizonMs;
  const grid = liveGrid(events);
  const located = locateEvents(events, grid);
  const area = makeHistory(events, grid, start, located);
  // District of each grid cell, by its centre; cached because windows share cells.
  const kx = mPerDegLon(grid.lat0) / LIVE_CELL_M, ky = M_PER_DEG_LAT / LIVE_CELL_M;
  const districtIndex = new Map<number, number>();
  const districtAt = (x: number, y: number) => {
    const key = cellKey(x, y);
    let d = districtIndex.get(key);
    if (d === undefined) {
      const found = districtOf(districts, grid.lon0 + (x + 0.5) / kx, grid.lat0 + (y + 0.5) / ky);
      d = found ? districts.indexOf(found) : -1;
      districtIndex.set(key, d);
    }
    return d;
  };
  const models = [model, countAll, countRecent];
  const hits = models.map((): WindowHits[] => []);
  // Per model and district (index districts.length: outside every district): flagged cells and hits.
  const slots = districts.length + 1;
  const flagged = models.map(() => new Float64Array(slots));
  const caught = models.map(() => new Float64Array(slots));
  const incidents = new Float64Array(slots);
  const coverage = new CoverageTally();
  let total = 0;
  for (let t = start; t < now; t += horizonMs) {
    const history = makeHistory(events, grid, t, located);
    const inArea = Uint8Array.from({ length: history.cellCount }, (_, c) => (area.indexOf(history.cellX[c]!, history.cellY[c]!) >= 0 ? 1 : 0));
    const isArea = (c: number) => inArea[c] === 1;
    const future = new Float64Array(history.cellCount);
    let inWindow = 0;
    for (let i = history.events.length; i < events.length && events.t[i]! < t + horizonMs; i++) {
      inWindow++;
      const d = districtAt(located.x[i]!, located.y[i]!);
      incidents[d < 0 ? districts.length : d]! += 1;
      const c = history.indexOf(located.x[i]!, located.y[i]!);
      if (c >= 0) future[c]! += 1;
    }
    total += inWindow;
    const ties = history.tieBreaks();
    const cellDistrict = Int32Array.from({ length: history.cellCount }, (_, c) => {
      const d = districtAt(history.cellX[c]!, history.cellY[c]!);
      return d < 0 ? districts.length : d;
    });
    models.forEach((m, k) => {
      const { scores, uncertainty: u } = m.forecast({ history, at: t, horizonMs });
      // The live model's intervals against what each study-area cell then recorded.
      if (k === 0 && u) for (let c = 0; c < history.cellCount; c++) if (inArea[c]) coverage.add(future[c]!, u.scale * scores[c]!, u.dispersion[c]!);
      hits[k]!.push(windowHits(scores, ties, isArea, future, inWindow));
      const mask = topMask(scores, ties, isArea, AREA_SHARES[DISTRICT_SHARE]!);
      for (let c = 0; c < mask.length; c++) if (mask[c]) { flagged[k]![cellDistrict[c]!]! += 1; caught[k]![cellDistrict[c]!]! += future[c]!; }
    });
    await pause();
  }
  const scores: CheckScore[] = models.map((m, k) => {
    const a = pool(hits[k]!);
    return { model: m.name, hitRate: a.hitRate, pai: a.pai };
  });
  const [mine, ...baselines] = scores as [CheckScore, ...CheckScore[]];
  const best = AREA_SHARES.map((_, s) => baselines.reduce((b, x, i) => (x.pai[s]! > baselines[b]!.pai[s]! ? i : b), 0));
  const ratio = AREA_SHARES.map((_, s) => {
    const ref = baselines[best[s]!]!.pai[s]!;
    // No baseline hit at all: the ratio says nothing, and 1 claims nothing.
    return ref > 0 ? mine.pai[s]! / ref : 1;
  });
  const ref = best[DISTRICT_SHARE]! + 1;
  const flaggedTotal = flagged[0]!.reduce((s, v) => s + v, 0);
  const rows: DistrictCheck[] = [];
  for (let d = 0; d < slots; d++) {
    if (incidents[d] === 0 && flagged[0]![d] === 0 && flagged[ref]![d] === 0) continue;
    const incidentShare = total > 0 ? incidents[d]! / total : 0;
    const flaggedShare = flaggedTotal > 0 ? flagged[0]![d]! / flaggedTotal : 0;
    rows.push({
      name: d < districts.length ? districts[d]!.name : '',
      incidents: incidents[d]!,
      incidentShare,
      flaggedShare,
      modelHits: caught[0]![d]!,
      baselineHits: caught[ref]![d]!,
      worseThanBaseline: caught[0]![d]! < caught[ref]![d]!,
      overFlagged: flaggedShare >= 0.02 && flaggedShare >= 1.5 * incidentShare,
    });
  }
  rows.sort((a, b) => b.incidents - a.incidents || a.name.localeCompare(b.name));
  return {
    note: null,
    check: {
      ranAt: now, horizonHours, from: start, to: now, windows, incidents: total,
      model: mine, baselines, ratio,
      bestBaseline: best.map((b) => baselines[b]!.model), districts: rows,
      ...(coverage.cells > 0 ? { coverage: coverage.result() } : {}),
    },
  };
}

/** The worker's file next to the bundled service (scripts/build.mjs builds it there). */
const BUILT_WORKER = 'forecast-check-worker.mjs';

/**
 * runCheck in a worker thread, so the service keeps answering while a long check runs. From the
 * sources (tsx, tests) the worker loads checkWorker.ts through tsx; from the bundle it loads the
 * built worker beside it; without one, the check runs in process, pausing between windows.
 */
export function runCheckOffThread(input: Omit<CheckInput, 'pause'>): Promise<CheckOutcome> {
  const here = import.meta.url;
  // Only the fields a forecast reads cross to the worker: no title, no description, no id.
  const workerData = {
    incidents: input.incidents.map(({ occurredAt, lon, lat, category }) => ({ occurredAt, lon, lat, category })),
    now: input.now, horizonHours: input.horizonHours, modelName: input.model.name,
    districts: input.districts.map(({ name, rings, bbox }) => ({ name, rings, bbox })),
  };
  let worker: Worker;
  if (here.endsWith('.ts')) {
    const source = new URL('./checkWorker.ts', here).href;
    worker = new Worker(
      `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })` +
        `.catch((e) => import('node:worker_threads').then((w) => w.parentPort.postMessage({ ok: false, error: String(e) })));`,
      { eval: true, workerData },
    );
  } else {
    const built = new URL(`./${BUILT_WORKER}`, here);
    if (!fs.existsSync(fileURLToPath(built))) return runCheck(input);
    worker = new Worker(built, { workerData });
  }
  // A check never keeps the service alive: closing Vigie ends it with the process.
  worker.unref();
  return new Promise<CheckOutcome>((resolve, reject) => {
    worker.once('message', (m: { ok: true; outcome: CheckOutcome } | { ok: false; error: string }) => (m.ok ? resolve(m.outcome) : reject(new Error(`the forecast check failed: ${m.error}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the forecast check stopped (exit ${code})`)));
  }).finally(() => void worker.terminate());
}
