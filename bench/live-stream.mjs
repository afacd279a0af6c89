#!/usr/bin/env node
// A sustained 5,000 events/s live stream (Cursor on Target over WebSocket, one event per message,
// 500 units each reporting twice a second) into `vigie serve`, with the supervisor screen open in
// Chromium. Over 10 s it measures what stays responsive: frame intervals, the delay of a 0 ms timer
// (what an input event waits for), how many pushes reach the page per second (batched, not one per
// record), and how many events per second the data service stores.
//   node bench/live-stream.mjs [--rate 5000] [--seconds 10]
import path from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import Database from 'better-sqlite3';
import { WebSocketServer } from 'ws';
import { launchChromium, startServe, percentile } from './browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const RATE = arg('rate', 5000);
const SECONDS = arg('seconds', 10);
const UNITS = 500;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.once('listening', r));
const url = `ws://127.0.0.1:${wss.address().port}/cot`;
const iso = (ms) => new Date(ms).toISOString();
let sent = 0;
let sending = null;
const startSending = () => {
  const perTick = RATE / 20;
  sending = setInterval(() => {
    const now = Date.now();
    for (const ws of wss.clients) {
      for (let i = 0; i < perTick; i++) {
        const u = (sent + i) % UNITS;
        const lat = 43.25 + (u % 25) * 0.004 + Math.sin(now / 5000 + u) * 0.001;
        const lon = 5.33 + Math.floor(u / 25) * 0.004 + Math.cos(now / 5000 + u) * 0.001;
        ws.send(`<event version="2.0" uid="U${u}" type="a-f-G-U-C" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 60_000)}" how="m-g"><point lat="${lat.toFixed(6)}" lon="${lon.toFixed(6)}" hae="0" ce="5" le="9999999"/><detail><contact callsign="U${u}"/></detail></event>`);
      }
    }
    sent += perTick;
  }, 50);
};

const vigie = await startServe({ config: { feeds: [{ id: 'stream', type: 'cot', label: 'Flux 5k/s', url }] } });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
// Counts the pushes the page receives on its data WebSocket.
await page.addInitScript(() => {
  window.__pushes = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => window.__pushes++);
    }
  };
});
await page.goto(vigie.url);
await page.waitForFunction(() => window.vigieMap?.ready === true, null, { timeout: 60_000 });
while (wss.clients.size === 0) await new Promise((r) => setTimeout(r, 50));

const db = new Database(path.join(vigie.profileDir, 'vigie.sqlite'), { readonly: true });
const positions = () => db.prepare('SELECT count(*) FROM unit_positions').pluck().get();
startSending();
await new Promise((r) => setTimeout(r, 2000)); // warm-up
const before = { positions: positions(), sent, pushes: await page.evaluate(() => window.__pushes) };
const probe = await page.evaluate(
  (ms) =>
    new Promise((resolve) => {
      const frames = [];
      const delays = [];
      let last = performance.now();
      const end = last + ms;
      const frame = (t) => {
        frames.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const tick = () => {
        const asked = performance.now();
        setTimeout(() => {
          delays.push(performance.now() - asked);
          if (performance.now() < end) setTimeout(tick, 50);
          else resolve({ frames, delays });
        }, 0);
      };
      tick();
    }),
  SECONDS * 1000,
);
const after = { positions: positions(), sent, pushes: await page.evaluate(() => window.__pushes) };
clearInterval(sending);
db.close();
await browser.close();
await vigie.stop();
for (const ws of wss.clients) ws.terminate();
wss.close();

const stats = (v) => ({ p50: +percentile(v, 50).toFixed(1), p95: +percentile(v, 95).toFixed(1), max: +Math.max(...v).toFixed(1) });
console.log(JSON.stringify({
  bench: 'live-stream',
  seconds: SECONDS,
  sent_per_s: Math.round((after.sent - before.sent) / SECONDS),
  stored_per_s: Math.round((after.positions - before.positions) / SECONDS),
  pushes_per_s: Math.round((after.pushes - before.pushes) / SECONDS),
  frame_ms: stats(probe.frames),
  timer_delay_ms: stats(probe.delays),
}));
