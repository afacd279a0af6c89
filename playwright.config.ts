import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in real Chromium (Debian's /usr/bin/chromium here; VIGIE_CHROMIUM elsewhere).
 * WebGL is software-rendered on these machines: Mesa's llvmpipe through ANGLE is several times
 * faster than SwiftShader, hence the GL flags.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'browser', testDir: 'e2e/browser' },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
