#!/usr/bin/env node
// STYLE 14, "SQL lives in db/": every `.prepare(` of runtime code and benches is under main/core/db/,
// behind a named repository function. Tests (*.test.ts) may prepare statements: they build fixtures
// the repositories would refuse (a tampered journal row, a damaged payload) and check stored rows.
// The allow-list below names the other exceptions with how many statements each may hold, so it
// can only shrink: a count above or below the listed one fails.
// Usage: node scripts/check-sql-placement.mjs [ROOT]   (exit 1 and one line per violation)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from './lib/sourceFiles.mjs';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const FOLDERS = ['main', 'common', 'bin', 'bench', 'scripts', 'test', 'renderer', 'preload'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST = /\.test\.(ts|tsx|mts|mjs)$/;
const PREPARE = /\.prepare\s*\(/g;

/** file → [statements allowed, why]. */
const ALLOWED = {
  // The baseline the pipeline is measured against is a bare prepared INSERT, and its row count.
  'bench/ingest.mjs': [2, 'raw SQLite baseline'],
  // Read-only probes of a running service's file from outside its process.
  'bench/event-latency.mjs': [1, 'probe of a running service'],
  'bench/live-stream.mjs': [1, 'probe of a running service'],
  // The 1- and 10-year profiles' generator: bulk INSERT … SELECT copies and counts no repository function has.
  'bench/replay.mjs': [8, 'bulk generator of the replay profiles'],
};

const statements = (n) => `${n} statement${n === 1 ? '' : 's'}`;
const walk = (dir) => sourceFiles(dir, (name) => SOURCE.test(name));

const violations = [];
const seen = new Set();
for (const folder of FOLDERS) {
  for (const file of walk(path.join(root, folder))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (rel.startsWith('main/core/db/') || TEST.test(rel) || rel === 'scripts/check-sql-placement.mjs') continue;
    // Comments out, line breaks kept: a commented-out statement is no statement, and lines stay right.
    const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    const lines = [...text.matchAll(PREPARE)].map((m) => text.slice(0, m.index).split('\n').length);
    const allowed = ALLOWED[rel];
    if (allowed) {
      seen.add(rel);
      if (lines.length > allowed[0]) violations.push(`${rel}: ${statements(lines.length)} where the allow-list (${allowed[1]}) says ${allowed[0]}: move the new ones into main/core/db/`);
      else if (lines.length < allowed[0]) violations.push(`${rel}: ${statements(lines.length)} where the allow-list says ${allowed[0]}: lower its count in scripts/check-sql-placement.mjs`);
      continue;
    }
    for (const line of lines) violations.push(`${rel}:${line}: .prepare( outside main/core/db/: move the statement into a named function of a main/core/db/ module and call that`);
  }
}
// On the repository itself (no ROOT given), an entry whose file is gone is stale too.
for (const rel of Object.keys(ALLOWED)) {
  if (!seen.has(rel) && process.argv[2] === undefined) violations.push(`${rel}: on the allow-list but absent: remove its entry from scripts/check-sql-placement.mjs`);
}

if (violations.length > 0) {
  console.error(`SQL outside main/core/db/ (STYLE 14, docs/architecture.md "SQL and the event log"):\n${violations.map((v) => `  ${v}`).join('\n')}`);
  process.exit(1);
}
console.log('SQL placement OK: every prepared statement of runtime code and benches is under main/core/db/.');
