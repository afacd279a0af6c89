#!/usr/bin/env node
// Every test, in the order a failure is cheapest to read: types, lint and layering, build, unit and
// integration (Vitest: real SQLite files, real loopback servers), end-to-end (Playwright in
// Chromium against `vigie serve`; Electron specs where its binary exists). Usage: npm test
import { spawn, spawnSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeSkips, playwrightSkips, vitestSkips } from './skips.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-test-reports-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const skips = [];

function step(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`${ok ? '✓' : '✗'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) failures.push(title);
  return ok;
}

/** Runs a step with its output held back, so that steps run side by side print one after another. */
function quietStep(title, command, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('close', (code) => resolve({ title, ok: code === 0, output: Buffer.concat(out), seconds: (Date.now() - started) / 1000 }));
  });
}

// The static checks and the build need no test and use one core each at most (tsc and ESLint are
// single-threaded): side by side they take as long as tsc alone (about 25 s here, not 45).
// Built before Vitest: the CLI tests and e2e then start the bundle, not tsx (test/vigie.mjs says why).
const sequence = async (steps) => {
  const done = [];
  for (const [title, command, args] of steps) done.push(await quietStep(title, command, args));
  return done;
};
const checks = (
  await Promise.all([
    quietStep('Type check (tsc -b: common, main, preload, renderer, e2e)', bin('tsc'), ['-b']),
    quietStep('Lint (ESLint)', bin('eslint'), ['.', '--max-warnings=0']),
    sequence([
      ['Layering (common / main/core / renderer / preload)', process.execPath, ['scripts/check-layering.mjs']],
      ['SQL placement (prepared statements under main/core/db/)', process.execPath, ['scripts/check-sql-placement.mjs']],
      ['No import cycles (main, common, renderer, preload)', process.execPath, ['scripts/check-cycles.mjs']],
      ['Build (renderer, Electron main, preload, data service, CLI)', process.execPath, ['scripts/build.mjs']],
    ]),
  ])
).flat();
for (const { title, ok, output, seconds } of checks) {
  console.log(`\n▶ ${title}`);
  process.stdout.write(output);
  console.log(`${ok ? '✓' : '✗'} ${title} (${seconds.toFixed(1)} s, beside the other checks)`);
  if (!ok) failures.push(title);
}
const built = checks.at(-1).ok;

const vitestReport = path.join(reports, 'vitest.json');
step('Unit and integration tests (Vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
if (fs.existsSync(vitestReport)) {
  const r = JSON.parse(fs.readFileSync(vitestReport, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  skips.push(...vitestSkips(r));
}

if (built) {
  // What ships: production dependencies alone beside dist/ (a devDependency imported at run time fails here).
  step('Production smoke test (npm ci --omit=dev beside dist/: data service, vigie serve, the bundled CLI)', process.execPath, ['scripts/prodSmoke.mjs']);
  if (!fs.existsSync('/usr/bin/chromium') && !process.env.VIGIE_CHROMIUM) {
    console.log('\n✗ End-to-end tests need Chromium: apt-get install -y chromium libgl1-mesa-dri libegl-mesa0 (or set VIGIE_CHROMIUM).');
    failures.push('End-to-end tests (no Chromium)');
  } else {
    const pwReport = path.join(reports, 'playwright.json');
    step('End-to-end tests (Playwright, Chromium; Electron where installed)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport });
    if (fs.existsSync(pwReport)) {
      const s = JSON.parse(fs.readFileSync(pwReport, 'utf8')).stats;
      totals.passed += s.expected + (s.flaky ?? 0);
      totals.failed += s.unexpected;
      totals.skipped += s.skipped;
      skips.push(...playwrightSkips(JSON.parse(fs.readFileSync(pwReport, 'utf8'))));
    }
  }
}

// Every skip, by name and reason; one that is not on the allow-list (or whose reason is false here) fails the run.
if (skips.length > 0) {
  console.log('\nSkipped tests:');
  const judged = judgeSkips(skips);
  for (const s of judged) console.log(`  ${s.allowed ? '·' : '✗'} ${s.file} › ${s.title}${s.reason ? ` (${s.reason})` : ''}: ${s.verdict}`);
  if (judged.some((s) => !s.allowed)) failures.push('Skips not allowed (see "Skipped tests" above: install what they need, or fix them)');
}

console.log(failures.length ? `\nFailed steps: ${failures.join('; ')}` : '\nAll steps passed.');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
