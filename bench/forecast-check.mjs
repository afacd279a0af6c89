#!/usr/bin/env node
// The model card's forecast check (a rolling backtest on the cache's recent weeks) on 50 000
// synthetic incidents, run in process and in its worker thread: how long it takes, and how late
// a 10 ms timer on the service's thread runs meanwhile. lateRatio = worker / in process (lower is
// better; the worker should keep the service's thread free).   node bench/forecast-check.mjs [incidents] [horizonHours]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'forecastCheckWork.ts'), ...process.argv.slice(2)], { cwd: root, encoding: 'utf8' });
console.log(out.trim().split('\n').pop());
