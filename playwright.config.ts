import os from 'node:os';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in real Chromium (Debian's /usr/bin/chromium here; VIGIE_CHROMIUM elsewhere).
 * WebGL is software-rendered on these machines: Mesa's llvmpipe through ANGLE is several times
 * faster than SwiftShader, hence the GL flags. WebGL still draws through ANGLE, but Chromium composites
 * the page in software: with no GPU, compositing on llvmpipe only added work in the GPU process (a
 * desk opened, panned and shot: 10.0–11.0 Chromium CPU s against 11.3–13.2 s, eight opens each, alternated),
 * and the per-test times of a whole run summed 662 s, against 710 s in the last clean-clone CI.
 *
 * Spec files can run in parallel workers: each starts its own `vigie serve` (own profile, port 0),
 * so they share nothing. A worker (Chromium drawing WebGL on the CPU, plus its data service) keeps
 * about two cores busy, hence one worker per two cores. On the 2-core machine here that is one:
 * two workers there took 940 s for the suite against 821 s for one (more specs, each slower beside
 * its neighbour) and made latency assertions fail. VIGIE_E2E_WORKERS overrides it. Tests inside
 * a file stay in order (they share its server).
 */
const workers = Number(process.env.VIGIE_E2E_WORKERS) || Math.max(1, Math.floor(os.availableParallelism() / 2));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1600, height: 900 },
    // As a remote-desktop seat or a person sensitive to motion asks the system: units step instead of
    // gliding, so the map draws when something changes instead of frame after frame between the demo's
    // reports (software WebGL here: that glide alone kept Chromium at 1.5 CPU s per second, bench/idle.mjs).
    // mapLayers.spec.ts checks both the glide and the step.
    reducedMotion: 'reduce',
    launchOptions: {
      executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--disable-gpu-compositing', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    // No trace by default: recording one snapshots the page at every action of every test, to keep it
    // only for a failure, and nothing here reads it (CI keeps the log; a failure leaves its screenshot
    // and error). Three specs alternated twice, with the software compositing above: 201 and 180 CPU s
    // against 247 and 253 with a trace and GPU compositing. To debug a failure: --trace retain-on-failure.
    trace: 'off',
  },
  projects: [
    { name: 'browser', testDir: 'e2e/browser' },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
