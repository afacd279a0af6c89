import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';
register();
const { Store } = await import('../main/core/store.ts');
const store = Store.open(process.argv[2]);
const db = store.db;
const T0 = Date.parse('2026-06-21T00:00:00Z');
const q = db.prepare(`SELECT c.id, c.feed_id, c.simulated, e.payload, e.seq, e.t
       FROM (SELECT i.id, i.feed_id, i.simulated, i.occurred_at,
                    (SELECT seq FROM events WHERE entity = i.id AND t <= @at ORDER BY t DESC, seq DESC LIMIT 1) AS last_seq
             FROM incidents_rtree r CROSS JOIN incidents i ON i.rowid = r.rid
             WHERE r.open_from <= @fromS AND r.open_until >= @untilS AND i.occurred_at <= @at AND (i.closed_at IS NULL OR i.closed_at > @at)
             ORDER BY i.occurred_at DESC LIMIT @limit) c
       CROSS JOIN events e ON e.seq = c.last_seq
       WHERE e.kind = 'incident.upsert'
       ORDER BY c.occurred_at DESC`).raw();
const q2 = db.prepare(`SELECT count(*) FROM incidents_rtree r WHERE r.open_from <= @fromS AND r.open_until >= @untilS`).pluck();
const q3 = db.prepare(`SELECT i.id FROM incidents_rtree r CROSS JOIN incidents i ON i.rowid = r.rid WHERE r.open_from <= @fromS AND r.open_until >= @untilS AND i.occurred_at <= @at AND (i.closed_at IS NULL OR i.closed_at > @at)`).pluck();
const tr = db.prepare('SELECT unit, t, lon, lat, heading FROM unit_positions WHERE t >= ? AND t <= ? ORDER BY t').raw();
for (let k = 0; k < 3; k++) for (const h of [3, 9, 12, 18]) {
  const at = T0 + h * 3600000 + 1234567 + k * 777777;
  const p = { at, fromS: Math.ceil(at / 1000), untilS: Math.floor(at / 1000), limit: 20000 };
  let t = performance.now(); const rows = q.all(p); const a = performance.now() - t;
  t = performance.now(); rows.map(r => JSON.parse(r[3])); const b = performance.now() - t;
  t = performance.now(); const n = q2.get(p); const c = performance.now() - t;
  t = performance.now(); const ids = q3.all(p); const d = performance.now() - t;
  t = performance.now(); const trs = tr.all(at - 900000, at); const e = performance.now() - t;
  console.log(h, 'sql', a.toFixed(1), 'parse', b.toFixed(1), 'rtree', n, c.toFixed(1), 'ids', ids.length, d.toFixed(1), 'trail rows', trs.length, e.toFixed(1));
}
