#!/usr/bin/env node
// Cold start of `vigie serve` to an interactive map in Chromium: from spawning the process to the
// map loaded with the demo's incidents drawn and listed. Median of 5 runs, each on a new profile.
//   node bench/cold-start.mjs [--runs 5]
import { performance } from 'node:perf_hooks';
import { launchChromium, startServe, percentile } from './browser.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 5) || 5;
const browser = await launchChromium();
const results = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const vigie = await startServe();
  const tListening = performance.now();
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(vigie.url);
  // Interactive: the map is loaded, the queue is listed, and deck.gl has drawn the incidents
  // (a pick at the first one's projected position returns it).
  await page.waitForFunction(() => window.vigieMap?.ready === true && document.querySelectorAll('[role="option"]').length > 0, null, { timeout: 60_000 });
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[role="option"]')];
    return rows.some((row) => {
      const id = row.getAttribute('data-id');
      const point = window.vigieMap.locate?.(id);
      return point && window.vigieMap.pickIncident(point.x, point.y) === id;
    });
  }, null, { timeout: 60_000, polling: 'raf' });
  const tInteractive = performance.now();
  results.push({ total: tInteractive - t0, serve: tListening - t0, page: tInteractive - tListening });
  await page.close();
  await vigie.stop();
}
await browser.close();
const med = (k) => Math.round(percentile(results.map((r) => r[k]), 50));
console.log(JSON.stringify({ bench: 'cold-start', runs, medianMs: med('total'), medianServeReadyMs: med('serve'), medianPageInteractiveMs: med('page'), allMs: results.map((r) => Math.round(r.total)) }));
