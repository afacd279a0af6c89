#!/usr/bin/env node
// What the screen costs when nothing happens: a supervisor's workstation left on the picture for a
// night, and every e2e spec's browser between two steps. `vigie serve --no-demo` (nothing moves),
// the demo (units report every 2 s) and the demo with the system asking for reduced motion (units
// step instead of gliding: what the e2e tests run with), each measured for 10 s once the map is idle:
//  - CPU seconds used by Chromium's processes (ps; on a shared machine other Chromiums count too,
//    so the script says how many it saw);
//  - WebGL draw calls per second, by canvas (deck.gl's overlay, MapLibre's basemap);
//  - requestAnimationFrame callbacks per second.
// Target: with nothing moving, no draw call at all and Chromium under 0.3 CPU s per second (it
// was 1.96 s/s, both cores, before useT kept one function per language: a render loop between
// the alert layers and the map). The demo draws while its units glide (MOVE_MS of every 2 s).
//   node bench/idle.mjs            (after node scripts/build.mjs)
import { execSync } from 'node:child_process';
import { launchChromium, startServe } from './browser.mjs';

const WINDOW_MS = 10_000;

/** CPU seconds of every process named chromium, and how many there were. */
function chromiumCpu() {
  const lines = execSync('ps -eo comm=,times=').toString().split('\n').filter((l) => /^chromium\b/.test(l.trim()));
  return { seconds: lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/).pop()), 0), processes: lines.length };
}

async function measure(demo, reducedMotion = 'no-preference') {
  const vigie = await startServe({ args: demo ? [] : ['--no-demo'] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, reducedMotion });
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.__idle = { raf: 0, draws: {} };
      const raf = w.requestAnimationFrame.bind(w);
      w.requestAnimationFrame = (cb) => {
        w.__idle.raf++;
        return raf(cb);
      };
      for (const C of [w.WebGL2RenderingContext, w.WebGLRenderingContext]) {
        for (const f of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
          const original = C.prototype[f];
          if (!original) continue;
          C.prototype[f] = function (...args) {
            const k = this.canvas.className || this.canvas.id || 'other canvas';
            w.__idle.draws[k] = (w.__idle.draws[k] ?? 0) + 1;
            return original.apply(this, args);
          };
        }
      }
    });
    await page.goto(vigie.url);
    await page.waitForFunction(() => window.vigieMap?.ready === true, null, { timeout: 60_000 });
    await page.waitForFunction(() => window.vigieMap?.idle() === true, null, { timeout: 60_000, polling: 100 });
    const counters = () => page.evaluate(() => JSON.parse(JSON.stringify(/** @type {any} */ (window).__idle)));
    const before = await counters();
    const cpu0 = chromiumCpu();
    const t0 = Date.now();
    // The measurement window itself (a rate needs a duration), not a wait for something to happen.
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu1 = chromiumCpu();
    const after = await counters();
    const s = (Date.now() - t0) / 1000;
    const draws = Object.fromEntries(Object.keys(after.draws).map((k) => [k, +((after.draws[k] - (before.draws[k] ?? 0)) / s).toFixed(1)]));
    return {
      mode: demo ? (reducedMotion === 'reduce' ? 'demo, reduced motion' : 'demo') : 'no-demo',
      chromiumCpuSecondsPerSecond: +((cpu1.seconds - cpu0.seconds) / s).toFixed(2),
      chromiumProcesses: cpu1.processes,
      drawCallsPerSecond: draws,
      animationFramesPerSecond: +((after.raf - before.raf) / s).toFixed(1),
    };
  } finally {
    await browser.close();
    await vigie.stop();
  }
}

const results = [];
for (const [demo, motion] of [[false], [true], [true, 'reduce']]) results.push(await measure(demo, motion));
const quiet = results[0];
const drawsWhenQuiet = Object.values(quiet.drawCallsPerSecond).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ bench: 'idle', windowSeconds: WINDOW_MS / 1000, loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(1)), results, target: { drawsWhenQuiet: 0, chromiumCpuWhenQuiet: 0.3 }, met: drawsWhenQuiet === 0 && quiet.chromiumCpuSecondsPerSecond <= 0.3 }, null, 1));
