import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';
register();
const { Store } = await import('../main/core/store.ts');
const { pictureAt } = await import('../main/core/replay/stateAt.ts');
const store = Store.open(process.argv[2]);
const T0 = Date.parse('2026-06-21T00:00:00Z');
for (const h of [3, 9, 12, 18, 23, 3, 9, 12, 18, 23, 4, 10, 13]) {
  const at = T0 + h * 3600000 + 1234567;
  let t = performance.now();
  const p = pictureAt(store, at);
  console.log(h, (performance.now() - t).toFixed(1), 'incidents', p.incidents.length, 'units', p.units.length, 'trailpts', Object.values(p.trails).reduce((a, b) => a + b.length, 0));
}
console.log(store.db.prepare('select min(t), max(t) from unit_positions').raw().get(), store.db.prepare('select min(t), max(t) from events').raw().get(), T0);
