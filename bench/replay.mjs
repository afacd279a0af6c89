#!/usr/bin/env node
// Replay at scale: a 24-hour day of 100,000 incident events and 1,000,000 unit positions, then
//  - seek: the picture at 200 random instants (p50, p95 ms);
//  - playback at 60x for 20 s of wall time, 4 ticks a second: events due vs delivered (none may be
//    dropped) and how long each tick's work took;
//  - memory (RSS).
// Every seek rebuilds the whole picture (incidents, units and trails, cameras, CAP alerts, annotations,
// calendar, dispatches, indicator alerts, forecasts), so the bench also holds cameras, alerts,
// annotations and planned events.
// Targets: seek p95 <= 100 ms; 60x with zero dropped events.   npm run bench -- replay
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';
import { percentile } from './browser.mjs';

register();
const { Store } = await import('../main/core/store.ts');
const { ingestBatch } = await import('../main/core/sync/ingest.ts');
const { pictureAt, eventsBetween } = await import('../main/core/replay/stateAt.ts');

const DAY = 24 * 3600_000;
const T0 = Date.parse('2026-06-21T00:00:00Z');
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-replay-bench-'));
const store = Store.open(profile);
const built = performance.now();
// 50,000 incidents, each opened then closed 5-120 minutes later: 100,000 events.
const records = [];
for (let i = 0; i < 50_000; i++) {
  const occurredAt = T0 + Math.floor(random() * (DAY - 2 * 3600_000));
  const base = { kind: 'incident', externalId: `I${i}`, category: 'theft', priority: 1 + Math.floor(random() * 4), title: `I${i}`, lon: 5.3 + random() * 0.2, lat: 43.2 + random() * 0.15, occurredAt };
  records.push({ ...base, status: 'new' }, { ...base, status: 'closed', closedAt: occurredAt + (5 + Math.floor(random() * 115)) * 60_000 });
}
records.sort((a, b) => (a.closedAt ?? a.occurredAt) - (b.closedAt ?? b.occurredAt));
for (let i = 0; i < records.length; i += 10_000) {
  ingestBatch(store, { id: 'cad', simulated: false }, { records: records.slice(i, i + 10_000), errors: [] }, Date.now(), { eventTime: (r) => r.closedAt ?? r.occurredAt });
}
// 1,000,000 positions: 120 units reporting every ~10 s.
const insert = store.db.prepare('INSERT INTO unit_positions (unit, t, lon, lat, heading) VALUES (?, ?, ?, ?, ?)');
store.db.transaction(() => {
  for (let k = 0; k < 1_000_000; k++) {
    const unit = k % 120;
    insert.run(`avl:U${unit}`, T0 + Math.floor((k / 1_000_000) * DAY), 5.3 + random() * 0.2, 43.2 + random() * 0.15, Math.floor(random() * 360));
  }
})();
// The rest of the picture, so every seek rebuilds every kind: 300 cameras changing status every
// ~2 h, 200 CAP alerts of 1-6 h, 40 annotations (some deleted), 100 planned events.
const cameras = [];
for (let c = 0; c < 300; c++) {
  for (let k = 0; k < 12; k++) {
    const t = T0 + Math.floor(((k + random()) / 12) * DAY);
    cameras.push({ kind: 'camera', externalId: `C${c}`, lon: 5.3 + random() * 0.2, lat: 43.2 + random() * 0.15, status: k % 3 === 2 ? 'fault' : 'online', t });
  }
}
cameras.sort((a, b) => a.t - b.t);
for (const record of cameras) ingestBatch(store, { id: 'cctv', simulated: false }, { records: [record], errors: [] }, Date.now(), { eventTime: () => record.t });
for (let a = 0; a < 200; a++) {
  const sent = T0 + Math.floor(random() * DAY);
  const record = { kind: 'alert', externalId: `A${a}`, alertId: `A${a}`, msgType: 'Alert', status: 'Actual', references: [], sent, expires: sent + (1 + Math.floor(random() * 5)) * 3600_000, categories: ['Met'], event: 'Vent', severity: 'Severe', urgency: 'Expected', certainty: 'Likely', areaDesc: 'Marseille', polygons: [[[5.3, 43.2], [5.4, 43.2], [5.4, 43.3], [5.3, 43.2]]], circles: [], geocodes: [] };
  ingestBatch(store, { id: 'meteo', simulated: false }, { records: [record], errors: [] }, Date.now(), { eventTime: () => sent });
}
store.db.transaction(() => {
  for (let n = 0; n < 40; n++) {
    const t = T0 + Math.floor(random() * DAY);
    const fields = { shape: 'circle', coordinates: [[5.3 + random() * 0.2, 43.2 + random() * 0.15]], radiusM: 200, label: `Zone ${n}`, color: '#4da3ff', geofence: false };
    const { seq } = store.log.append({ t, source: 'user:bench', kind: 'annotation.create', entity: `annotation:N${n}`, payload: { by: 'bench', role: 'supervisor', ...fields } });
    store.annotations.save({ ...fields, id: `N${n}`, createdBy: 'bench', createdAt: t, updatedBy: 'bench', updatedAt: t, deleted: false, seq });
    if (n % 4 === 0) store.log.append({ t: t + 3600_000, source: 'user:bench', kind: 'annotation.delete', entity: `annotation:N${n}`, payload: { by: 'bench', role: 'supervisor' } });
  }
  for (let n = 0; n < 100; n++) {
    const start = T0 + Math.floor(random() * 3 * DAY);
    const event = { id: `csv:P${n}`, source: 'csv', title: `Event ${n}`, kind: 'market', start, end: start + 4 * 3600_000, place: { type: 'Point', coordinates: [5.3 + random() * 0.2, 43.2 + random() * 0.15] } };
    store.log.append({ t: T0 - DAY + Math.floor(random() * 2 * DAY), source: 'user:bench', kind: 'calendar.event', entity: `planned:${event.id}`, payload: { by: 'bench', event } });
  }
})();
const buildMs = performance.now() - built;

// Seek.
// CPU time too: on a shared machine, wall time also counts the other processes' turns.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const firstSeek = performance.now();
pictureAt(store, T0 + DAY / 2); // the first seek of a data service builds the in-memory incident timeline
const firstSeekMs = performance.now() - firstSeek;
const seeks = [];
const seekCpu = [];
for (let i = 0; i < 200; i++) {
  const at = T0 + Math.floor(random() * DAY);
  const t = performance.now();
  const c = cpuMs();
  pictureAt(store, at);
  seeks.push(performance.now() - t);
  seekCpu.push(cpuMs() - c);
}

// Playback at 60x: each 250 ms tick advances the clock 15 s; the tick delivers the events in
// (previous, now] and redraws the picture. A tick whose work overran would make playback drift.
const speed = 60;
const tickMs = 250;
const start = T0 + 8 * 3600_000;
const wallSeconds = 20;
let clock = start;
let delivered = 0;
const tickWork = [];
for (let tick = 0; tick < (wallSeconds * 1000) / tickMs; tick++) {
  const t = performance.now();
  const next = clock + tickMs * speed;
  delivered += eventsBetween(store, clock, next).length;
  pictureAt(store, next);
  clock = next;
  const spent = performance.now() - t;
  tickWork.push(spent);
  if (spent < tickMs) await new Promise((r) => setTimeout(r, tickMs - spent));
}
const due = store.db.prepare("SELECT count(*) FROM events WHERE t > ? AND t <= ? AND kind = 'incident.upsert'").pluck().get(start, clock);
const result = {
  bench: 'replay',
  events: store.db.prepare('SELECT count(*) FROM events').pluck().get(),
  positions: store.db.prepare('SELECT count(*) FROM unit_positions').pluck().get(),
  buildSeconds: +(buildMs / 1000).toFixed(1),
  picture: (() => {
    const p = pictureAt(store, T0 + 12 * 3600_000);
    return { incidents: p.incidents.length, units: p.units.length, trailPoints: Object.values(p.trails).reduce((n, t) => n + t.length, 0), cameras: p.cameras.length, alerts: p.alerts.length, annotations: p.annotations.length, plannedEvents: p.calendar.events.length };
  })(),
  firstSeekMs: +firstSeekMs.toFixed(1),
  seekMs: { p50: +percentile(seeks, 50).toFixed(1), p95: +percentile(seeks, 95).toFixed(1), max: +Math.max(...seeks).toFixed(1) },
  seekCpuMs: { p50: +percentile(seekCpu, 50).toFixed(1), p95: +percentile(seekCpu, 95).toFixed(1) },
  loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
  playback60x: { wallSeconds, clockAdvancedSeconds: (clock - start) / 1000, eventsDue: due, eventsDelivered: delivered, dropped: due - delivered, tickWorkMs: { p50: +percentile(tickWork, 50).toFixed(1), p95: +percentile(tickWork, 95).toFixed(1) }, ticksOverBudget: tickWork.filter((w) => w > tickMs).length },
  rssMB: Math.round(process.memoryUsage().rss / 1e6),
};
store.close();
if (process.env.VIGIE_BENCH_KEEP) console.error(`kept ${profile}`);
else fs.rmSync(profile, { recursive: true, force: true });
console.log(JSON.stringify(result));
