// Run by bench/forecast-check.mjs under tsx: one forecast check (the model card's backtest) on a
// synthetic cache, in process and in its worker thread, measuring how late a 10 ms timer on the
// service's thread runs meanwhile (what feeds and calls would wait).
import { seededRandom } from '../common/random';
import { runCheck, runCheckOffThread, type CheckInput } from '../main/core/forecast/check';
import { kde } from '../main/core/forecast/models/kde';

const n = Number(process.argv[2] ?? 50_000);
const horizonHours = Number(process.argv[3] ?? 168);
const random = seededRandom(42);
const now = Date.UTC(2026, 10, 25, 0, 0);
const hot = Array.from({ length: 300 }, () => [5.3 + random() * 0.15, 43.22 + random() * 0.12] as const);
const cats = ['theft', 'burglary', 'assault', 'vehicle', 'other'];
const incidents = Array.from({ length: n }, () => {
  const [lon, lat] = random() < 0.5 ? hot[Math.floor(random() * hot.length)]!.map((v) => v + (random() - 0.5) * 0.002) : [5.3 + random() * 0.15, 43.22 + random() * 0.12];
  return { occurredAt: now - random() * 180 * 864e5, lon: lon!, lat: lat!, category: cats[Math.floor(random() * cats.length)]! };
});
const input: CheckInput = { incidents, now, horizonHours, model: kde, districts: [] };

async function measure(run: () => Promise<unknown>) {
  let last = performance.now(), worst = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 10);
    last = t;
  }, 10);
  const began = performance.now();
  await run();
  clearInterval(timer);
  return { seconds: +((performance.now() - began) / 1000).toFixed(2), worstLateMs: Math.round(worst) };
}

const inProcess = await measure(() => runCheck(input));
const offThread = await measure(() => runCheckOffThread(input));
console.log(JSON.stringify({ incidents: n, horizonHours, inProcess, offThread, lateRatio: +(offThread.worstLateMs / Math.max(1, inProcess.worstLateMs)).toFixed(3) }));
