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

export async function startServe({ config, args = [] } = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
  if (config) fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify(config));
  const child = spawn(process.execPath, [path.join(root, 'bin', 'vigie.mjs'), 'serve', '--profile', profileDir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
  };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
