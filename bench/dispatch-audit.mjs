#!/usr/bin/env node
// Ranking units for an incident (the details panel asks every 5 s) and the audit journal (one row
// per action and consultation; `vigie audit verify` walks all of it). Targets: ranking 500 units
// under 5 ms; verifying 100 000 journal rows under 2 s.
//   node bench/dispatch-audit.mjs [--units 500] [--rows 100000]
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const script = `
import { performance } from 'node:perf_hooks';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { rankUnits } from './main/core/dispatch/rank.ts';
import { straightLineEta } from './main/core/dispatch/eta.ts';
import { Store } from './main/core/store.ts';
const [nUnits, nRows] = process.argv.slice(1).map(Number);
let seed = 7; const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const now = Date.now();
const units = Array.from({ length: nUnits }, (_, i) => ({ id: 'avl:U' + i, feedId: 'avl', unitId: 'U' + i, callsign: 'U ' + i, unitType: i % 5 ? 'vehicle' : 'person', lon: 5.3 + random() * 0.2, lat: 43.2 + random() * 0.15, t: now - random() * 900000, status: random() < 0.2 ? 'en_route' : 'available', simulated: false, updatedAt: now, seq: i }));
const incident = { id: 'city:X', feedId: 'city', externalId: 'X', category: 'fire', priority: 1, status: 'new', title: 'x', lon: 5.37, lat: 43.29, occurredAt: now, simulated: false, updatedAt: now, seq: 1 };
for (let i = 0; i < 50; i++) rankUnits(incident, units, [], straightLineEta, now);
const times = [];
for (let i = 0; i < 200; i++) { const t = performance.now(); rankUnits(incident, units, [], straightLineEta, now); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
const store = Store.open(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-')));
let t = performance.now();
store.db.transaction(() => { for (let i = 0; i < nRows; i++) store.audit.append({ t: now + i, user: 'jdupont', role: 'supervisor', kind: i % 3 ? 'consultation' : 'action', action: 'incident.open', target: 'city:' + (i % 5000), origin: 'bench' }); })();
const appendMs = performance.now() - t;
t = performance.now();
const verified = store.audit.verify();
const verifyMs = performance.now() - t;
store.close();
console.log(JSON.stringify({ bench: 'dispatch-audit', units: nUnits, rankMedianMs: +times[100].toFixed(3), rankP95Ms: +times[190].toFixed(3), journalRows: nRows, appendPerRowUs: +((appendMs * 1000) / nRows).toFixed(1), verifyMs: Math.round(verifyMs), verifiedOk: verified.ok }));
`;
execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', arg('units', '500'), arg('rows', '100000')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
