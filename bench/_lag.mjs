import { spawn } from 'node:child_process';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-'));
const t0 = Date.now();
const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'test/vigie.mjs', 'serve', '--profile', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const url = await new Promise((r) => { const on = (c) => { out += c; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) r(m[1]); }; child.stdout.on('data', on); child.stderr.on('data', on); });
console.log('listening', Date.now() - t0);
const base = new URL(url).origin;
for (let i = 0; i < 60; i++) { const s = Date.now(); await fetch(base + '/favicon.ico').then((r) => r.arrayBuffer()); const d = Date.now() - s; if (d > 30) console.log('at', s - t0, 'lag', d); await new Promise((r) => setTimeout(r, 50)); }
console.log('end', Date.now() - t0);
child.kill('SIGINT'); await new Promise((r) => child.once('exit', r));
