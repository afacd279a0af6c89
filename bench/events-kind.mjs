#!/usr/bin/env node
// calendar.list at 500,000 events, before and after the events(kind, entity) index (migration
// 0012): the log holds 499,800 feed events and 200 planned-event entries (with 50 re-imports and
// 20 deletions). Prints the median of 20 calls each way and the query plans, measured in one run.
//   node bench/events-kind.mjs [EVENTS]       (npm run bench -- events-kind)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const { openDatabase, migrate } = await import('../main/core/db/connection.ts');
const { MIGRATIONS } = await import('../main/core/db/migrations/index.ts');
const { Store } = await import('../main/core/store.ts');
const { CalendarService } = await import('../main/core/calendar/calendar.ts');
const { EventLog } = await import('../main/core/db/eventLog.ts');
const { standingCalendarPlan } = await import('../main/core/db/calendarEvents.ts');

const TOTAL = Number(process.argv[2] ?? 500_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-events-kind-'));
const file = path.join(dir, 'vigie.sqlite');
const withoutIndex = MIGRATIONS.filter((m) => m.name !== 'events-kind' && m.version < 12);
const db = openDatabase(file, withoutIndex);
const T0 = Date.parse('2026-06-01T00:00:00Z');
const log = new EventLog(db);
const kinds = ['incident.upsert', 'unit.position', 'camera.upsert', 'alert.upsert'];
const planned = (i, t) => ({ event: { id: `P${i}`, title: `Event ${i}`, start: t, end: t + 3 * 3600_000, lon: 5.37, lat: 43.29, expected: 500, source: 'bench' } });
db.transaction(() => {
  let calendar = 0;
  for (let seq = 1; seq <= TOTAL; seq++) {
    const t = T0 + seq * 1000;
    // Every 1,852nd event is a planned-event entry, re-imported or deleted now and then: 270 in all.
    if (seq % Math.floor(TOTAL / 270) === 0 && calendar < 270) {
      const entry = calendar % 200;
      const kind = calendar >= 250 ? 'calendar.delete' : 'calendar.event';
      log.append({ t, source: 'bench', kind, entity: `planned:P${entry}`, payload: kind === 'calendar.delete' ? { id: `P${entry}` } : planned(entry, t) }, t);
      calendar++;
    } else {
      log.append({ t, source: 'feed:bench', kind: kinds[seq % 4], entity: `e:${seq % 20_000}`, payload: { x: 1 } }, t);
    }
  }
})();
const store = new Store(db);
const service = new CalendarService(store, {});

function measure() {
  const times = [];
  let listed = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    listed = service.list(0, Number.MAX_SAFE_INTEGER).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const plan = standingCalendarPlan(db);
  return { medianMs: Number(times[10].toFixed(2)), listed, plan };
}
const before = measure();
migrate(db, MIGRATIONS, file);
const after = measure();
db.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'events-kind', events: TOTAL, before, after, speedup: Number((before.medianMs / after.medianMs).toFixed(1)) }));
