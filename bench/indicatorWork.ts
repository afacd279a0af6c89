// Run by bench/indicators.mjs under tsx: one evaluation of district indicators on a filled cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus } from '../main/core/bus';
import { Store } from '../main/core/store';
import { ingestBatch } from '../main/core/ingest/ingest';
import { districtsFrom } from '../main/core/indicators/districts';
import { IndicatorService } from '../main/core/indicators/indicators';
import type { FeedRecord } from '../common/domain/feedRecord';

const n = Number(process.argv[2] ?? 100_000);
const days = 60;
const now = Date.UTC(2026, 10, 25, 15, 30);
// 111 districts: squares on a 12 × 10 grid over the city, like Marseille's quartiers in number.
const features = Array.from({ length: 111 }, (_, i) => {
  const [x, y] = [5.3 + (i % 12) * 0.02, 43.2 + Math.floor(i / 12) * 0.02];
  return { type: 'Feature', properties: { name: `Q${i}` }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.02, y], [x + 0.02, y + 0.02], [x, y + 0.02], [x, y]]] } };
});
const districts = districtsFrom({ features });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
const store = Store.open(dir);
const cats = ['theft', 'assault', 'public_order', 'noise', 'fire'];
let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
for (let batch = 0; batch < n; batch += 5000) {
  const records: FeedRecord[] = [];
  for (let i = batch; i < Math.min(n, batch + 5000); i++) {
    const t = Math.round(now - random() * days * 86_400_000);
    records.push({ kind: 'incident', externalId: `e${i}`, category: cats[i % 5]!, priority: 3, status: 'closed', title: 'x', lon: 5.3 + random() * 0.24, lat: 43.2 + random() * 0.19, occurredAt: t, closedAt: t + 3_600_000 });
  }
  ingestBatch(store, { id: 'bench', simulated: false }, { records, errors: [] }, now);
}
const service = new IndicatorService(store, new EventBus(), () => districts, [
  { id: 'all-hour', label: 'All, hour', category: '*', window: 'hour', threshold: { kind: 'multiple', factor: 3, minCount: 5 }, sheet: '' },
  { id: 'theft-today', label: 'Theft, today', category: 'theft', window: 'today', threshold: { kind: 'multiple', factor: 2, minCount: 10 }, sheet: '' },
  { id: 'all-7d', label: 'All, 7 days', category: '*', window: '7d', threshold: { kind: 'multiple', factor: 1.5, minCount: 50 }, sheet: '' },
]);
const t0 = performance.now();
service.evaluate(now);
const ms = performance.now() - t0;
store.close();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ incidents: n, districts: 111, indicators: 3, evaluateMs: Math.round(ms) }) + '\n');
