#!/usr/bin/env node
// How long a desk takes to open on a data service that has just started, as every e2e test opens
// one: a fresh `vigie serve` (the built CLI, as test/vigie.mjs starts it) on a demo profile, then a
// new browser context on its URL, until the map has loaded (window.vigieMap.ready). Prints, per
// open, when the service listened, when the city pack's answer arrived and when the map was ready
// (ms after navigation), then their medians. Software WebGL here: compare runs made one after the
// other on a quiet machine, alternating before and after a change.
//   node bench/desk-open.mjs [opens]        (after node scripts/build.mjs)
// Measured (2-core machine, 6-8 opens a run, alternated): the city pack loaded at the service's first
// idle moment instead of at the first desk's request took the map's ready time from 4.66/4.64 s to
// 4.27/4.36 s; asking for the pack beside the settings brought the pack 90-190 ms earlier.
import os from 'node:os';
import { launchChromium, percentile, startServe } from './browser.mjs';

const OPENS = Number(process.argv[2]) || 6;

const browser = await launchChromium();
const opens = [];
try {
  for (let i = 0; i < OPENS; i++) {
    const service = await startServe({ asTests: true });
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      const t0 = Date.now();
      let packMs = null;
      page.on('websocket', (ws) => ws.on('framereceived', (f) => {
        if (packMs === null && String(f.payload).startsWith('{"t":"res"') && String(f.payload).includes('"bounds"') && String(f.payload).includes('"land"')) packMs = Date.now() - t0;
      }));
      await page.goto(service.url);
      await page.waitForFunction(() => /** @type {any} */ (window).vigieMap?.ready === true, null, { timeout: 60_000 });
      opens.push({ listenedMs: service.listenedMs, packMs, readyMs: Date.now() - t0 });
    } finally {
      await context.close();
      await service.stop();
    }
  }
} finally {
  await browser.close();
}
const median = (key) => percentile(opens.map((o) => o[key]).filter((v) => v !== null), 50);
console.log(JSON.stringify({ bench: 'desk-open', loadAverage: os.loadavg().map((l) => +l.toFixed(1)), opens, median: { listenedMs: median('listenedMs'), packMs: median('packMs'), readyMs: median('readyMs') } }, null, 1));
