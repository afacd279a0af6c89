// Shared by the rendering benches: Chromium with the same flags as the e2e tests, and
// `vigie serve` started exactly as a user starts it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * `vigie serve` on a fresh profile (the demo unless `config` says otherwise), started as a user
 * starts it (bin/vigie.mjs) or, with `asTests`, as the tests start it (test/vigie.mjs: the built CLI
 * when it is newer than its sources). `nodeArgs` go to Node itself (--cpu-prof…); `startedAt` is
 * when it was spawned, `listenedMs` how long it took to say it listens.
 */
export async function startServe({ config, args = [], nodeArgs = [], asTests = false } = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
  if (config) fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify(config));
  const startedAt = Date.now();
  const cli = path.join(root, asTests ? 'test' : 'bin', 'vigie.mjs');
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--profile', profileDir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /Vigie listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`vigie serve exited ${code}: ${output}`)));
  });
  return {
    url,
    profileDir,
    startedAt,
    listenedMs: Date.now() - startedAt,
    stop: (signal = 'SIGTERM') => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill(signal)))),
  };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
