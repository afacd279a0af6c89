#!/usr/bin/env node
// What an e2e spec costs in CPU, by process, under today's Playwright settings and under the
// settings before they were tuned (GPU compositing through llvmpipe, a trace screencast recorded for
// every test). Both run the same spec files in alternation (A B A B …), so that a noisy machine
// weighs on both; the script prints each round and the ratio of the sums.
//   node bench/e2eCost.mjs [--rounds 2] [spec …]     (after node scripts/build.mjs)
// Default specs: e2e/browser/mapLayers.spec.ts (WebGL pixels) and e2e/browser/liveIncident.spec.ts.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 2;
const specs = args.length > 0 ? args : ['e2e/browser/mapLayers.spec.ts', 'e2e/browser/liveIncident.spec.ts'];

// The settings before: written next to playwright.config.ts (a config's paths are relative to it).
const beforeConfig = path.join(root, 'playwright.e2eCost-before.config.ts');
fs.writeFileSync(
  beforeConfig,
  `import base from './playwright.config';
const args = (base.use?.launchOptions?.args ?? []).filter((a) => a !== '--disable-gpu-compositing');
export default { ...base, use: { ...base.use, trace: 'retain-on-failure', launchOptions: { ...base.use?.launchOptions, args } } };
`,
);

/** Process kind of a ps line: Chromium by --type, the data service, or Playwright's runner. */
function kindOf(command) {
  if (/chrom(e|ium)/.test(command)) {
    const type = /--type=([\w-]+)/.exec(command)?.[1];
    return type ? `chromium ${type}` : 'chromium browser';
  }
  if (/vigie\.mjs serve|cli\.mjs serve/.test(command)) return 'vigie serve';
  if (/playwright/.test(command)) return 'playwright runner';
  return null;
}

function sample(seen) {
  const out = execFileSync('ps', ['-eo', 'pid=,times=,args='], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const kind = kindOf(m[3]);
    if (!kind) continue;
    const prev = seen.get(m[1]);
    seen.set(m[1], { kind, seconds: Math.max(Number(m[2]), prev?.seconds ?? 0) });
  }
}

async function run(label, config) {
  const seen = new Map();
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--config', config, ...specs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const timer = setInterval(() => sample(seen), 250);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const wall = (Date.now() - started) / 1000;
  if (code !== 0) {
    console.error(output);
    throw new Error(`${label}: the specs failed (exit ${code}); a cost is only comparable when they pass`);
  }
  const byKind = {};
  for (const { kind, seconds } of seen.values()) byKind[kind] = (byKind[kind] ?? 0) + seconds;
  const cpu = Object.values(byKind).reduce((a, b) => a + b, 0);
  console.log(`${label.padEnd(7)} wall ${wall.toFixed(1).padStart(6)} s  CPU ${String(cpu).padStart(4)} s  (${Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, s]) => `${k} ${s}`).join(', ')})`);
  return { wall, cpu };
}

try {
  console.log(`Specs: ${specs.join(', ')}; ${rounds} round(s); ps sampled every 250 ms (CPU whole seconds per process).`);
  const sums = { before: { wall: 0, cpu: 0 }, now: { wall: 0, cpu: 0 } };
  for (let i = 0; i < rounds; i++) {
    for (const [label, config] of [['before', beforeConfig], ['now', path.join(root, 'playwright.config.ts')]]) {
      const r = await run(label, config);
      sums[label].wall += r.wall;
      sums[label].cpu += r.cpu;
    }
  }
  console.log(`now / before: wall ${(sums.now.wall / sums.before.wall).toFixed(2)}, CPU ${(sums.now.cpu / sums.before.cpu).toFixed(2)}`);
} finally {
  fs.rmSync(beforeConfig, { force: true });
}
