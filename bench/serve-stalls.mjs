#!/usr/bin/env node
// Whether the data service answers while it starts: `vigie serve` on a fresh demo profile, asked
// for a small file every 50 ms during its first seconds, as a browser opening the desk would be.
// A long answer is the service's single thread busy with something else. It found the Natural
// Earth land of the whole world converted at the first incident of the day, about when a desk
// connects: longest answers 502-687 ms in 4 of 5 runs (V8 profile of one: naturalEarthLand 192 ms,
// 125 ms of it parsing world-atlas's 3 MB JSON, then 210 ms of GC). Only the polygons near the city
// are converted now (cityPack.ts): 354-436 ms in 4 of 5 runs (152 ms, 111 ms of it the JSON; GC 88 ms).
// Since the pack is loaded at the service's first idle moment (core.ts), the longest answer comes
// right after "listening": 532 and 566 ms in two single runs, the pack's load, now done before any
// desk asks for it (bench/desk-open.mjs measures what the desk gains: its map is ready earlier).
//   node bench/serve-stalls.mjs [runs]        (after node scripts/build.mjs)
// PROF=1 also writes a V8 CPU profile of each service under /tmp/vigie-serve-prof/.
import os from 'node:os';
import { startServe } from './browser.mjs';

const RUNS = Number(process.argv[2]) || 3;
const PROBE_MS = 4_000;

async function once() {
  const nodeArgs = process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/vigie-serve-prof'] : [];
  const { url, startedAt: t0, listenedMs: listeningMs, stop } = await startServe({ asTests: true, nodeArgs });
  const base = new URL(url).origin;
  const answers = [];
  while (Date.now() - t0 < listeningMs + PROBE_MS) {
    const asked = Date.now();
    await fetch(`${base}/favicon.ico`).then((r) => r.arrayBuffer());
    answers.push({ atMs: asked - t0, tookMs: Date.now() - asked });
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop('SIGINT');
  const longest = answers.reduce((a, b) => (b.tookMs > a.tookMs ? b : a));
  return { listeningMs, answers: answers.length, longestAnswerMs: longest.tookMs, longestAtMs: longest.atMs };
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
console.log(JSON.stringify({ bench: 'serve-stalls', probeSeconds: PROBE_MS / 1000, loadAverage: os.loadavg().map((l) => +l.toFixed(1)), runs }, null, 1));
