#!/usr/bin/env node
// Runs what ships: installs the production dependencies alone (as the packager does: package.json
// + lock, no devDependencies) into a temporary folder beside a copy of the built dist/, then starts
// from there the Electron data service (dist/host/service.mjs, through a stand-in for Electron's
// parentPort), `vigie serve` and a real CLI command, and calls the contract through each. Any
// run-time import of a devDependency fails here with ERR_MODULE_NOT_FOUND, as it would on a
// workstation. Needs `node scripts/build.mjs` first. Usage: node scripts/prodSmoke.mjs [--keep]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NOT_BUNDLED, packageOf } from './bundleDeps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-prod-'));
const started = Date.now();

const failures = [];
function fail(sentence) {
  throw new Error(sentence);
}
/** One part of the smoke test; a failure is reported and the other parts still run. */
async function part(title, body) {
  try {
    await body();
    console.log(`  ✓ ${title}`);
  } catch (error) {
    failures.push(title);
    console.error(`  ✗ ${title}: ${error.message}`);
  }
}
function fatal(sentence) {
  console.error(`✗ production smoke test: ${sentence}\n  (staged in ${stage})`);
  process.exit(1);
}

if (!fs.existsSync(path.join(root, 'dist', 'host', 'service.mjs')) || !fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  fatal('dist/ is not built: run `node scripts/build.mjs` first.');
}

// 1. The production tree, as the packager installs it. Install scripts stay off (offline-friendly,
// and the packager rebuilds native modules itself); better-sqlite3's addon is copied from the
// checkout, where `npm run setup` built it for this Node.
for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, f), path.join(stage, f));
const install = spawnSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: stage, encoding: 'utf8' });
if (install.status !== 0) fatal(`npm ci --omit=dev failed:\n${install.stderr}`);
const addon = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(path.join(root, addon))) fatal(`${addon} is missing in the checkout: run \`npm run setup\`.`);
fs.mkdirSync(path.dirname(path.join(stage, addon)), { recursive: true });
fs.copyFileSync(path.join(root, addon), path.join(stage, addon));
// What the installer ships (resources/electron-builder.json "files"), plus the npm bin launcher.
fs.cpSync(path.join(root, 'dist'), path.join(stage, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
fs.cpSync(path.join(root, 'bin'), path.join(stage, 'bin'), { recursive: true });
// npm's hidden lockfile lists every package it installed, nested ones included.
const installed = Object.keys(JSON.parse(fs.readFileSync(path.join(stage, 'node_modules', '.package-lock.json'), 'utf8')).packages).filter(Boolean);
const bytes = spawnSync('du', ['-sk', path.join(stage, 'node_modules')], { encoding: 'utf8' }).stdout.split('\t')[0];
console.log(`  production tree: ${installed.length} packages, ${bytes ? `${(Number(bytes) / 1024).toFixed(0)} MB` : 'size unknown'} (npm ci --omit=dev --ignore-scripts, ${((Date.now() - started) / 1000).toFixed(1)} s)`);

// Issue 19's budget: pure-JS packages travel inside dist/, so the tree is better-sqlite3's and little else.
const BUDGET = 40;
await part(`production tree within ${BUDGET} packages, every package a bundle leaves outside installed`, () => {
  if (installed.length > BUDGET) fail(`${installed.length} packages (budget ${BUDGET}): a pure-JS runtime package belongs in devDependencies, bundled by scripts/build.mjs (docs/deploy.md §10).`);
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8'));
  for (const file of ['service.mjs', 'cli.mjs', 'forecast-check-worker.mjs']) {
    const text = fs.readFileSync(path.join(stage, 'dist', 'host', file), 'utf8');
    // esbuild writes the imports it left outside as plain `import … from "x"` / `import("x")`.
    for (const m of text.matchAll(/(?:^import\s[^;]*?from\s*|\bimport\()"([^".][^"]*)"/gm)) {
      const pkg = packageOf(m[1]);
      if (m[1].startsWith('node:') || builtinModules.includes(m[1])) continue;
      if (pkg in dependencies) continue;
      if (pkg in NOT_BUNDLED) continue; // optional or development-path only, with its reason there
      fail(`dist/host/${file} imports "${m[1]}" at run time, and the production install has no ${pkg}.`);
    }
  }
});

const profile = path.join(stage, 'profile');
// The checkout's data folder and source tree must not be reachable: run as an installed copy would.
const env = { ...process.env, VIGIE_APP_ROOT: stage, VIGIE_SHARED_DATA: path.join(stage, 'no-shared-data'), VIGIE_PROFILE: profile, NODE_PATH: '' };

function run(args, timeout = 60_000) {
  return spawnSync(process.execPath, args, { cwd: stage, env, encoding: 'utf8', timeout });
}

// 2. The bundled CLI: --help, then a real command that writes and reads the profile.
let stored = 0;
await part('bundled CLI: vigie --help, ingest, query, backup, doctor', () => {
  const help = run(['bin/vigie.mjs', '--help']);
  if (help.status !== 0 || !/^ {2}serve /m.test(help.stdout)) fail(`\`vigie --help\` failed (exit ${help.status}):\n${help.stderr}`);
  const geojson = path.join(stage, 'incidents.geojson');
  const feature = (id, lon) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, 48.85] }, properties: { category: 'public_order', priority: 2, status: 'new', title: `Smoke ${id}`, occurredAt: '2026-03-01T10:00:00Z' } });
  fs.writeFileSync(geojson, JSON.stringify({ type: 'FeatureCollection', features: [feature('S1', 2.35), feature('S2', 2.36)] }));
  const ingest = run(['bin/vigie.mjs', 'ingest', '--profile', profile, '--type', 'geojson', geojson]);
  if (ingest.status !== 0 || !/stored 2/.test(ingest.stdout)) fail(`\`vigie ingest\` failed (exit ${ingest.status}):\n${ingest.stdout}${ingest.stderr}`);
  stored = 2;
  const count = run(['bin/vigie.mjs', 'query', '--profile', profile, 'incidents', '--count']);
  if (count.stdout.trim() !== '2') fail(`\`vigie query incidents --count\` said "${count.stdout.trim()}", expected 2:\n${count.stderr}`);
  const backup = run(['bin/vigie.mjs', 'backup', '--profile', profile]);
  if (backup.status !== 0) fail(`\`vigie backup\` failed (exit ${backup.status}):\n${backup.stdout}${backup.stderr}`);
  const doctor = run(['bin/vigie.mjs', 'doctor', '--profile', profile, '--json']);
  if (doctor.status !== 0) fail(`\`vigie doctor\` found problems (exit ${doctor.status}):\n${doctor.stdout}${doctor.stderr}`);
});

// 3. The Electron data service, given a stand-in parentPort that hands it a MessagePort as main does.
await part('data service (dist/host/service.mjs, the Electron entry): session.whoami, incidents.list', () => {
  const serviceProbe = `
import { MessageChannel } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
const parent = new EventEmitter();
parent.postMessage = (m) => { if (m.type === 'ready') connect(); };
process.parentPort = parent;
const asMain = (p) => ({ on: (e, l) => p.on(e, e === 'message' ? (data) => l({ data }) : l), postMessage: (m) => p.postMessage(m), start: () => p.start?.() });
function connect() {
  const { port1, port2 } = new MessageChannel();
  parent.emit('message', { data: { type: 'connect', windowId: 1 }, ports: [asMain(port1)] });
  const waiting = new Map();
  port2.on('message', (m) => { if (m.t === 'res') waiting.get(m.id)?.(m); });
  const call = (id, method, params = {}) => new Promise((r) => { waiting.set(id, r); port2.postMessage({ t: 'req', id, method, params }); });
  (async () => {
    const session = await call(1, 'session.whoami');
    const incidents = await call(2, 'incidents.list', {});
    console.log(JSON.stringify({ session, incidents }));
    process.exit(0);
  })();
}
await import(${JSON.stringify(path.join(stage, 'dist', 'host', 'service.mjs'))});
`;
  const service = run(['--input-type=module', '-e', serviceProbe, '--', '--profile', profile, '--no-demo']);
  const line = service.stdout.split('\n').find((l) => l.startsWith('{'));
  if (service.status !== 0 || !line) fail(`it did not answer (exit ${service.status}):\n${service.stderr}`);
  const answered = JSON.parse(line);
  if (!answered.session.ok || !answered.incidents.ok || answered.incidents.result.length !== stored) fail(`it answered wrongly: ${line}`);
});

// 4. `vigie serve` on loopback, called over a WebSocket with the token of the printed URL.
await part('vigie serve over a WebSocket: session.whoami, incidents.list, audit.verify', async () => {
  const server = spawn(process.execPath, ['bin/vigie.mjs', 'serve', '--profile', profile, '--port', '0', '--no-demo'], { cwd: stage, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  server.stdout.on('data', (d) => (said += d));
  server.stderr.on('data', (d) => (said += d));
  try {
    const url = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 30_000);
      server.stdout.on('data', () => {
        const m = said.match(/listening on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[1]));
        }
      });
      server.once('exit', () => resolve(null));
    });
    if (!url) fail(`it did not start:\n${said}`);
    // The test's own client (the checkout's ws): the product's copy is inside its bundle.
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://${url.host}/ws?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`, { origin: url.origin });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_q, res) => reject(new Error(`the WebSocket was refused: HTTP ${res.statusCode}`)));
    });
    const replies = new Map();
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (m.t === 'res') replies.get(m.id)?.(m);
    });
    const call = (id, method, params = {}) => new Promise((r) => {
      replies.set(id, r);
      ws.send(JSON.stringify({ t: 'req', id, method, params }));
    });
    const session = await call(1, 'session.whoami');
    const incidents = await call(2, 'incidents.list', {});
    const journal = await call(3, 'audit.verify', {});
    ws.close();
    if (!session.ok || !incidents.ok || incidents.result.length !== stored) fail(`it answered wrongly: ${JSON.stringify({ session, incidents })}`);
    if (!journal.ok || journal.result.ok !== true) fail(`the journal does not verify: ${JSON.stringify(journal)}`);
    // The structured log (pino, inside the bundle) writes its file in the profile.
    const logFile = path.join(profile, 'logs', 'service.log');
    const first = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n')[0] : '';
    if (!first.startsWith('{')) fail(`no structured log line in ${logFile}`);
  } finally {
    server.kill('SIGTERM');
  }
});

if (failures.length > 0) {
  console.error(`✗ production smoke test: ${failures.length} part(s) failed with the production dependencies alone (staged in ${stage}).`);
  process.exit(1);
}
if (!keep) fs.rmSync(stage, { recursive: true, force: true });
console.log(`✓ production smoke test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
