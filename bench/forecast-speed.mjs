#!/usr/bin/env node
// One `vigie forecast` call on 100 000 synthetic incidents (clustered like a city: a few hundred
// hot places over a uniform background, five categories, 180 days). Target: under 10 s.
//   node bench/forecast-speed.mjs [--events 100000] [--model auto]
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const n = Number(arg('events', '100000')), model = arg('model', 'auto');
let seed = 42;
const random = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const t0 = Date.parse('2024-01-01T00:00:00Z'), days = 180;
const hot = Array.from({ length: 400 }, () => [2.25 + random() * 0.2, 48.8 + random() * 0.12]);
const cats = ['theft', 'burglary', 'assault', 'vehicle', 'other'];
const rows = ['t,lon,lat,category'];
for (let i = 0; i < n; i++) {
  const [lon, lat] = random() < 0.5 ? hot[Math.floor(random() * hot.length)].map((v) => v + (random() - 0.5) * 0.002) : [2.25 + random() * 0.2, 48.8 + random() * 0.12];
  rows.push(`${new Date(t0 + random() * days * 864e5).toISOString()},${lon.toFixed(6)},${lat.toFixed(6)},${cats[Math.floor(random() * cats.length)]}`);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
const history = path.join(dir, 'history.csv'), out = path.join(dir, 'scores.csv');
fs.writeFileSync(history, rows.join('\n') + '\n');
const at = new Date(t0 + days * 864e5).toISOString();
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const began = performance.now();
execFileSync(process.execPath, ['--import', 'tsx', '-e',
  "import c from './main/host/commands/forecast.ts'; process.exitCode = await c.run(process.argv.slice(1))", '--',
  '--history', history, '--at', at, '--horizon-days', '7', '--origin', '2.2,48.8', '--cell-m', '150', '--out', out, '--model', model],
{ cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const seconds = (performance.now() - began) / 1000;
const cells = fs.readFileSync(out, 'utf8').trim().split('\n').length - 1;
fs.rmSync(dir, { recursive: true, force: true });
console.log(`forecast --model ${model} on ${n} events: ${seconds.toFixed(2)} s (whole process, startup included), ${cells} cells scored; target < 10 s: ${seconds < 10 ? 'met' : 'MISSED'}`);
process.exitCode = seconds < 10 ? 0 : 1;
