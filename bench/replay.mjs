#!/usr/bin/env node
// Replay at scale. Default: a 24-hour day of 50,000 incidents (100,000 incident events) and 1,000,000
// unit positions; `--days D --incidents N --positions P` changes only the scale (incidents spread
// evenly over D days, positions over the same span), e.g. a year: --days 365 --incidents 500000.
//  - first seek: the first picture a freshly started data service draws;
//  - seek: the picture at 200 random instants of the span (p50, p95 ms);
//  - playback at 60x for 20 s of wall time, 4 ticks a second: events due vs delivered (none may be
//    dropped) and how long each tick's work took;
//  - memory (RSS) of the process that replays.
// The profile is built by a child process (this script with --build), so RSS and the first seek are
// those of a data service opening an existing profile, not of the generator. `--profile DIR` keeps
// the built profile in DIR and reuses it on the next run with the same scale (a 10-year database
// takes minutes to build).
// Every seek rebuilds the whole picture (incidents, units and trails, cameras, CAP alerts, annotations,
// calendar, dispatches, indicator alerts, forecasts), so the bench also holds cameras, alerts,
// annotations and planned events (one day's worth, at any scale).
// Targets: seek p95 <= 100 ms (1 day), <= 20 ms (1 and 10 years); first seek <= 500 ms; RSS <= 600 MB;
// 60x with zero dropped events.   npm run bench -- replay
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { Store } = await import('../main/core/store.ts');
const { pictureAt, eventsBetween } = await import('../main/core/replay/stateAt.ts');

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] !== undefined ? process.argv[k + 1] : fallback;
};
const DAYS = Number(arg('days', '1'));
const INCIDENTS = Number(arg('incidents', '50000'));
const POSITIONS = Number(arg('positions', '1000000'));
if (![DAYS, INCIDENTS, POSITIONS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('usage: node bench/replay.mjs [--days D] [--incidents N] [--positions P] [--profile DIR] (positive integers)');
  process.exit(2);
}
const DAY = 24 * 3600_000;
const SPAN = DAYS * DAY;
const T0 = Date.parse('2026-06-21T00:00:00Z');
/** The day in the middle of the span, where playback runs and the reported picture is taken (T0 for one day). */
const MID = T0 + Math.floor(DAYS / 2) * DAY;
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const scale = { days: DAYS, incidents: INCIDENTS, positions: POSITIONS };

if (process.argv.includes('--build')) {
  const { ingestBatch } = await import('../main/core/ingest/ingest.ts');
  const profile = arg('build');
  const store = Store.open(profile);
  // The generator's page cache, not the replay's: ingest touches the indexes at random.
  store.db.pragma('cache_size = -1000000');
  const built = performance.now();
  // INCIDENTS incidents, each opened then closed 5-120 minutes later (two events each), day by day
  // in event-time order like a feed, so that only one day of records is ever held here.
  const ingest = (records) => {
    records.sort((a, b) => (a.closedAt ?? a.occurredAt) - (b.closedAt ?? b.occurredAt));
    for (let i = 0; i < records.length; i += 10_000) {
      ingestBatch(store, { id: 'cad', simulated: false }, { records: records.slice(i, i + 10_000), errors: [] }, Date.now(), { eventTime: (r) => r.closedAt ?? r.occurredAt });
    }
  };
  // Beyond a year, ingest would take an hour: the first year is ingested, then copied year after year
  // by SQL (incident events and rows, their R*Tree entries and the positions, shifted in time and
  // renumbered), so a 10-year profile is the 1-year one ten times over.
  const YEAR_DAYS = 365;
  const copies = DAYS > YEAR_DAYS ? DAYS / YEAR_DAYS : 1;
  if (!Number.isInteger(copies) || INCIDENTS % copies !== 0 || POSITIONS % copies !== 0) {
    console.error('Beyond 365 days, --days must be a multiple of 365 and --incidents, --positions multiples of the number of years.');
    process.exit(2);
  }
  const genDays = DAYS / copies;
  const genIncidents = INCIDENTS / copies;
  const genPositions = POSITIONS / copies;
  const genSpan = genDays * DAY;
  let pending = [];
  let i = 0;
  for (let d = 0; d < genDays; d++) {
    const dayStart = T0 + d * DAY;
    const width = d === genDays - 1 ? DAY - 2 * 3600_000 : DAY; // the last incident closes within the span
    const count = Math.floor(((d + 1) * genIncidents) / genDays) - Math.floor((d * genIncidents) / genDays);
    const records = pending;
    pending = [];
    for (let n = 0; n < count; n++, i++) {
      const occurredAt = dayStart + Math.floor(random() * width);
      const base = { kind: 'incident', externalId: `I${i}`, category: 'theft', priority: 1 + Math.floor(random() * 4), title: `I${i}`, lon: 5.3 + random() * 0.2, lat: 43.2 + random() * 0.15, occurredAt };
      records.push({ ...base, status: 'new' }, { ...base, status: 'closed', closedAt: occurredAt + (5 + Math.floor(random() * 115)) * 60_000 });
    }
    // Closes after midnight wait for the next day's batch (all go in on the last day).
    const dayEnd = d === genDays - 1 ? Infinity : dayStart + DAY;
    const now = [];
    for (const r of records) ((r.closedAt ?? r.occurredAt) < dayEnd ? now : pending).push(r);
    ingest(now);
  }
  // POSITIONS positions: 120 units reporting at a steady pace over the span (every ~10 s for a day).
  const insert = store.db.prepare('INSERT INTO unit_positions (unit, t, lon, lat, heading) VALUES (?, ?, ?, ?, ?)');
  for (let k0 = 0; k0 < genPositions; k0 += 1_000_000) {
    store.db.transaction(() => {
      for (let k = k0; k < Math.min(genPositions, k0 + 1_000_000); k++) {
        const unit = k % 120;
        insert.run(`avl:U${unit}`, T0 + Math.floor((k / genPositions) * genSpan), 5.3 + random() * 0.2, 43.2 + random() * 0.15, Math.floor(random() * 360));
      }
    })();
  }
  const seqs = store.db.prepare('SELECT max(seq) FROM events').pluck().get();
  const rids = store.db.prepare('SELECT max(rowid) FROM incidents').pluck().get();
  const workstation = store.db.prepare("SELECT value FROM meta WHERE key = 'workstation_id'").pluck().get();
  const columns = store.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('incidents');
  for (let y = 1; y < copies; y++) {
    const shift = y * genSpan;
    const renumber = (text) => `'I' || (CAST(substr(${text}, 2) AS INTEGER) + ${y * genIncidents})`;
    const shifted = { id: `'cad:' || ${renumber('external_id')}`, external_id: renumber('external_id'), title: renumber('title'), occurred_at: `occurred_at + ${shift}`, closed_at: `closed_at + ${shift}`, feed_closed_at: `feed_closed_at + ${shift}`, seq: `seq + ${y * seqs}` };
    const fields = `'$.externalId', ${renumber("payload ->> '$.externalId'")}, '$.title', ${renumber("payload ->> '$.title'")}, '$.occurredAt', (payload ->> '$.occurredAt') + ${shift}`;
    store.db.transaction(() => {
      store.db.exec(`
        INSERT INTO events (seq, uid, hlc, t, source, kind, entity, payload)
          SELECT seq + ${y * seqs}, '${workstation}:' || (seq + ${y * seqs}), hlc, t + ${shift}, source, kind, 'cad:' || ${renumber("substr(entity, 5)")},
                 CASE WHEN payload ->> '$.closedAt' IS NULL THEN json_set(payload, ${fields})
                      ELSE json_set(payload, ${fields}, '$.closedAt', (payload ->> '$.closedAt') + ${shift}) END
          FROM events WHERE seq <= ${seqs} AND kind = 'incident.upsert';
        INSERT INTO incidents (rowid, ${columns.join(', ')})
          SELECT rowid + ${y * rids}, ${columns.map((c) => shifted[c] ?? c).join(', ')} FROM incidents WHERE rowid <= ${rids};
        INSERT INTO incidents_rtree SELECT rid + ${y * rids}, min_lon, max_lon, min_lat, max_lat, open_from + ${shift / 1000}, open_until + ${shift / 1000}
          FROM incidents_rtree WHERE rid <= ${rids};
        INSERT INTO unit_positions (unit, t, lon, lat, heading) SELECT unit, t + ${shift}, lon, lat, heading FROM unit_positions WHERE t < ${T0 + genSpan};
      `);
    })();
  }
  store.log.resync(); // the copies took seqs behind the log's back
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
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  fs.writeFileSync(path.join(profile, 'bench.json'), JSON.stringify({ ...scale, buildSeconds: +((performance.now() - built) / 1000).toFixed(1), seed }));
  process.exit(0);
}

const kept = arg('profile');
const profile = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-replay-bench-'));
const meta = () => {
  try {
    return JSON.parse(fs.readFileSync(path.join(profile, 'bench.json'), 'utf8'));
  } catch {
    return null;
  }
};
const same = (m) => m && m.days === DAYS && m.incidents === INCIDENTS && m.positions === POSITIONS;
if (!same(meta())) {
  if (kept && fs.existsSync(path.join(profile, 'vigie.sqlite'))) {
    console.error(`${profile} holds another scale (${JSON.stringify(meta())}): delete it or name another --profile.`);
    process.exit(2);
  }
  fs.mkdirSync(profile, { recursive: true });
  const build = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2), '--build', profile], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { buildSeconds } = meta();
// The seek instants follow on from the generator's draws, as when one process did both.
seed = meta().seed;
const store = Store.open(profile);

// Seek.
// CPU time too: on a shared machine, wall time also counts the other processes' turns.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const firstSeek = performance.now();
pictureAt(store, MID + DAY / 2);
const firstSeekMs = performance.now() - firstSeek;
const seeks = [];
const seekCpu = [];
for (let i = 0; i < 200; i++) {
  const at = T0 + Math.floor(random() * SPAN);
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
const start = MID + 8 * 3600_000;
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
  buildSeconds,
  picture: (() => {
    const p = pictureAt(store, MID + 12 * 3600_000);
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
if (kept || process.env.VIGIE_BENCH_KEEP) console.error(`kept ${profile}`);
else fs.rmSync(profile, { recursive: true, force: true });
console.log(JSON.stringify(result));
