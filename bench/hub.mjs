#!/usr/bin/env node
// One hub, the demo feed, and 30 simulated workstations (WebSocket clients speaking the hub's
// protocol, each authenticated with its own secret). Every seat sends an operator action (a note
// on a live incident) every ~2 s; for each action, the latency is from its sending to the moment
// the LAST of the 30 seats received it in the hub's stream. Also measured: the hub process's CPU
// over the same window. A throwaway PostgreSQL cluster is started on loopback. Target: p95 ≤ 1 s.
//   node bench/hub.mjs [--seats 30] [--seconds 30] [--every-ms 2000] [--demo-ms 4000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';
import WebSocket from 'ws';

register();
const { startPgCluster, freePort, postgresBinDir, NO_POSTGRES } = await import('../main/core/hub/pgCluster.ts');
const { addHubUser, addWorkstation } = await import('../main/core/hub/credentials.ts');
const { startHubProcess } = await import('../main/core/hub/testing.ts');

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const SEATS = arg('seats', 30);
const SECONDS = arg('seconds', 30);
const EVERY_MS = arg('every-ms', 2000);
const DEMO_MS = arg('demo-ms', 4000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

if (!postgresBinDir()) {
  console.log(JSON.stringify({ skipped: NO_POSTGRES }));
  process.exit(0);
}

const cluster = await startPgCluster();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-hub-'));
let hub;
const clients = [];
try {
  const state = path.join(dir, 'hub');
  fs.mkdirSync(state);
  fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [], demo: true }));
  const credentials = path.join(dir, 'hub-credentials.json');
  const secrets = [];
  for (let i = 0; i < SEATS; i++) secrets.push(addWorkstation(credentials, `seat-${i}`, [`op${i}`]));
  // The hub decides who acts (docs/security.md): each seat speaks for its one operator.
  for (let i = 0; i < SEATS; i++) addHubUser(credentials, `op${i}`, 'supervisor', [`seat-${i}`]);
  const port = await freePort();
  hub = await startHubProcess(['--pg', cluster.url, '--port', String(port), '--state', state, '--credentials', credentials], { VIGIE_DEMO_INTERVAL_MS: String(DEMO_MS) });

  // uid → { sentAt, seen: number of seats that received it, lastAt }
  const ops = new Map();
  const incidents = new Set();
  let feedEntries = 0;
  for (let i = 0; i < SEATS; i++) {
    const ws = new WebSocket(hub.url, { headers: { 'x-vigie-workstation': `seat-${i}`, authorization: `Bearer ${secrets[i]}` } });
    const client = { ws, i, welcomed: false, lastSeq: 0 };
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', cursor: 0 })));
    ws.on('message', (data) => {
      const now = performance.now();
      const m = JSON.parse(data.toString());
      if (m.t === 'welcome') client.welcomed = true;
      if (m.t !== 'entry') return;
      client.lastSeq = m.seq;
      if (m.kind === 'feed') {
        if (i === 0) feedEntries++;
        for (const r of m.body.records) if (r.kind === 'incident' && r.status !== 'closed') incidents.add(`${m.body.feedId}:${r.externalId}`);
      } else {
        const op = ops.get(m.body.op.uid);
        if (op) {
          op.seen++;
          op.lastAt = now;
        }
      }
    });
    ws.on('error', (e) => console.error(`seat-${i}:`, e.message));
    clients.push(client);
  }
  const start = Date.now();
  while (clients.some((c) => !c.welcomed) || incidents.size === 0) {
    if (Date.now() - start > 60_000) throw new Error('the seats did not connect, or the demo feed brought no incident, in 60 s');
    await sleep(50);
  }

  const cpu = () => {
    const f = fs.readFileSync(`/proc/${hub.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, seconds (USER_HZ = 100)
  };
  const cpu0 = cpu();
  const t0 = performance.now();
  let n = 0;
  const senders = clients.map((c) => (async () => {
    await sleep(Math.random() * EVERY_MS);
    while (performance.now() - t0 < SECONDS * 1000) {
      const list = [...incidents];
      const uid = `seat-${c.i}:${++n}`;
      ops.set(uid, { sentAt: performance.now(), seen: 0, lastAt: 0 });
      c.ws.send(JSON.stringify({ t: 'op', op: { uid, workstation: `seat-${c.i}`, user: `op${c.i}`, role: 'supervisor', t: Date.now(), method: 'incidents.addNote', params: { id: list[Math.floor(Math.random() * list.length)], text: 'bench' } } }));
      await sleep(EVERY_MS * (0.5 + Math.random()));
    }
  })());
  await Promise.all(senders);
  const wall = (performance.now() - t0) / 1000;
  const cpuUsed = cpu() - cpu0;
  // Let the last actions arrive everywhere.
  const drainStart = Date.now();
  while ([...ops.values()].some((o) => o.seen < SEATS) && Date.now() - drainStart < 10_000) await sleep(50);
  const complete = [...ops.values()].filter((o) => o.seen === SEATS);
  const latencies = complete.map((o) => o.lastAt - o.sentAt).sort((a, b) => a - b);
  const result = {
    seats: SEATS,
    seconds: Number(wall.toFixed(1)),
    actionsSent: ops.size,
    actionsOnEverySeat: complete.length,
    actionsPerSecond: Number((ops.size / wall).toFixed(1)),
    demoFeedBatches: feedEntries,
    latencyToEverySeatMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), max: Math.round(latencies.at(-1)) },
    hubCpuPercentOfOneCore: Number(((100 * cpuUsed) / wall).toFixed(1)),
    targetP95Ms: 1000,
    meetsTarget: percentile(latencies, 95) <= 1000 && complete.length === ops.size,
    machine: { cpus: os.cpus().length, loadAverage1m: Number(os.loadavg()[0].toFixed(2)) },
  };
  console.log(JSON.stringify(result));
} finally {
  for (const c of clients) c.ws.terminate();
  await hub?.stop();
  cluster.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
