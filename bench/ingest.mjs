#!/usr/bin/env node
// Full feed pipeline throughput (`npm run bench -- ingest`): 1,000,000 GeoJSON incidents and
// 1,000,000 GTFS-realtime unit positions, each through parse → validate → minimise (the default
// privacy policy) → upsert → event log, in batches of 5,000 as a poll or a stream flush delivers
// them, into a real SQLite file (WAL, synchronous=NORMAL). Each figure is divided by a raw
// better-sqlite3 insert of the same rows into the same table, measured in the same run.
// Payload generation is not timed; everything from the bytes on is. Targets: ≥ 100,000 events/s
// each, ratio ≥ 0.3. The last lines are one JSON object per figure (with CPU µs per event, and the
// CPU-time ratio, which a loaded machine disturbs far less than the wall-clock one).
//   node bench/ingest.mjs [--n 1000000] [--batch 5000]
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { numberArg, runUnderTsx } from './lib/underTsx.mjs';

// The pipeline is TypeScript: this file runs again under tsx.
runUnderTsx(import.meta.url);

const arg = numberArg;
const N = arg('n', 1_000_000);
const BATCH = arg('batch', 5_000);
const { Store } = await import('../main/core/store.ts');
const { ingestBatch } = await import('../main/core/ingest/ingest.ts');
const { geojsonAdapter } = await import('../main/core/feeds/geojson.ts');
const { gtfsRealtimeAdapter } = await import('../main/core/feeds/gtfsRealtime.ts');
const { createMinimiser } = await import('../main/core/privacy/minimise.ts');
const { PrivacyPolicy } = await import('../main/core/privacy/policy.ts');
const { encodeVehiclePositions } = await import('../main/core/feeds/gtfsRealtimeEncode.ts');

const dirs = [];
const freshStore = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-ingest-')); dirs.push(d); return Store.open(d); };
const now = Date.now();
const CATEGORIES = ['theft', 'noise', 'public_order', 'traffic_accident', 'vandalism', 'fire'];
const STATUSES = ['new', 'acknowledged', 'dispatched', 'on_scene'];

function incidentPayload(b) {
  const features = [];
  for (let i = 0; i < BATCH; i++) {
    const n = b * BATCH + i;
    features.push({
      type: 'Feature', id: `INC-${n}`,
      geometry: { type: 'Point', coordinates: [5.30 + (n % 997) * 1e-4, 43.25 + (n % 991) * 1e-4] },
      properties: { category: CATEGORIES[n % 6], priority: 1 + (n % 4), status: STATUSES[n % 4], title: `Appel ${n % 50}`, address: `${n % 300} rue de la République`, occurredAt: new Date(now - 3_600_000 + (n % 3_600) * 1000).toISOString() },
    });
  }
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

const VEHICLES = BATCH;
function unitPayload(b) {
  const t = Math.floor((now - 86_000_000) / 1000) + b * 10;
  const entity = [];
  for (let i = 0; i < VEHICLES; i++) {
    entity.push({ id: `e${i}`, vehicle: { vehicle: { id: `V${i}`, label: `Bus ${i}` }, trip: { tripId: `t${i}`, routeId: `R${i % 40}` }, position: { latitude: 43.25 + ((i * 7 + b) % 1000) * 1e-4, longitude: 5.3 + ((i * 13 + b) % 1000) * 1e-4, bearing: (i + b) % 360, speed: 8 }, timestamp: t } });
  }
  return encodeVehiclePositions({ header: { timestamp: t }, entity });
}

const RAW_SQL = {
  incidents: `INSERT INTO incidents (id, feed_id, external_id, category, priority, status, title, description, address, lon, lat, occurred_at, closed_at, simulated, updated_at, seq)
              VALUES (?, 'bench', ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, 0, ?, 0)`,
  units: 'INSERT INTO unit_positions (unit, t, lon, lat, heading) VALUES (?, ?, ?, ?, ?)',
};

/**
 * Pipeline and raw insert batch by batch, alternately, each into its own fresh profile: both see
 * the same machine load (other processes come and go), so the ratio holds even when the absolute
 * figures move. The raw side inserts the rows the adapter produced, with one prepared statement
 * and a transaction per batch; its parse is not timed.
 */
function measure(kind, makePayload, adapter, config) {
  const store = freshStore();
  const rawStore = freshStore();
  const insert = rawStore.db.prepare(RAW_SQL[kind]);
  const rawWrite = rawStore.db.transaction((records, at) => {
    for (const r of records) {
      if (kind === 'incidents') insert.run(`bench:${r.externalId}`, r.externalId, r.category, r.priority, r.status, r.title, r.address ?? null, r.lon, r.lat, r.occurredAt, at);
      else insert.run(`bench:${r.unitId}`, r.t, r.lon, r.lat, r.heading ?? null);
    }
  });
  const feed = { id: 'bench', simulated: false, minimise: createMinimiser('bench', PrivacyPolicy.parse({}), Buffer.alloc(32)) };
  // CPU time beside wall time: on a shared machine (load well above the core count) wall time
  // measures the neighbours as much as the pipeline; CPU time per event moves far less.
  let ms = 0, rawMs = 0, cpuUs = 0, rawCpuUs = 0, stored = 0, quarantined = 0;
  const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
  for (let b = 0; b < Math.ceil(N / BATCH); b++) {
    const bytes = makePayload(b);
    const { records } = adapter.parse(bytes, { feedId: 'bench', config, receivedAt: Date.now() });
    let began = performance.now();
    let cpuBegan = cpu();
    rawWrite(records, Date.now());
    rawMs += performance.now() - began;
    rawCpuUs += cpu() - cpuBegan;
    began = performance.now();
    cpuBegan = cpu();
    const receivedAt = Date.now();
    const parsed = adapter.parse(bytes, { feedId: 'bench', config, receivedAt });
    const outcome = ingestBatch(store, feed, parsed, receivedAt);
    ms += performance.now() - began;
    cpuUs += cpu() - cpuBegan;
    stored += outcome.stored;
    quarantined += outcome.quarantined;
  }
  const rows = store.db.prepare(kind === 'incidents' ? 'SELECT count(*) FROM incidents' : 'SELECT count(*) FROM unit_positions').pluck().get();
  store.close();
  rawStore.close();
  if (stored !== N || quarantined !== 0 || rows !== N) throw new Error(`${kind}: stored ${stored}, quarantined ${quarantined}, rows ${rows}; expected ${N}`);
  return { ms, rawMs, cpuUs, rawCpuUs };
}

const figures = [];
for (const [figure, kind, make, adapter, config] of [
  ['ingest_incidents', 'incidents', incidentPayload, geojsonAdapter, geojsonAdapter.configSchema.parse({})],
  ['ingest_units', 'units', unitPayload, gtfsRealtimeAdapter, {}],
]) {
  console.error(`${figure}: ${N} records in batches of ${BATCH}…`);
  const { ms, rawMs, cpuUs, rawCpuUs } = measure(kind, make, adapter, config);
  const eps = N / (ms / 1000);
  const raw = N / (rawMs / 1000);
  figures.push({ figure, events: N, seconds: +(ms / 1000).toFixed(2), events_per_s: Math.round(eps), raw_insert_per_s: Math.round(raw), ratio_to_raw_insert: +(eps / raw).toFixed(3), cpu_us_per_event: +(cpuUs / N).toFixed(1), raw_cpu_us_per_event: +(rawCpuUs / N).toFixed(1), cpu_ratio_to_raw_insert: +(rawCpuUs / cpuUs).toFixed(3), target: eps >= 100_000 && eps / raw >= 0.3 ? 'met' : 'MISSED' });
}
for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
for (const f of figures) console.log(JSON.stringify(f));
