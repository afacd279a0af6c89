#!/usr/bin/env node
// Runs every bench in turn (`npm run bench`); each prints one JSON line measured in its own run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.mjs') && !['run-all.mjs', 'browser.mjs'].includes(f)).sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  console.error(`▶ ${file}`);
  const result = spawnSync(process.execPath, [path.join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
