#!/usr/bin/env node
// `vigie` as the tests run it (Vitest's CLI tests, e2e's `vigie serve`): the same CLI, started from
// the bundle scripts/build.mjs wrote when that bundle is newer than every source it is built from,
// else from the sources through bin/vigie.mjs (tsx). Why: tsx transforms the CLI's few hundred
// modules in every process, about 2-3 s of CPU per start on this 2-core machine, and the suite
// starts the CLI a few hundred times; the bundle starts in about a third of that. A stale bundle is
// never used (an edited source, lock file or build script is newer), so a test always runs the
// code as it stands. VIGIE_TEST_CLI=sources forces the sources; `npm test` builds before testing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's path when it was built after the last change to what goes into it; else null. */
export function freshBundle() {
  if (process.env.VIGIE_TEST_CLI === 'sources') return null;
  const bundle = path.join(root, 'dist', 'host', 'cli.mjs');
  let built;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    return null;
  }
  const inputs = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'scripts/build.mjs', 'bin/vigie.mjs'].map((f) => path.join(root, f));
  for (const f of inputs) {
    try {
      if (fs.statSync(f).mtimeMs > built) return null;
    } catch {
      // A file this checkout lacks (no lock file) cannot be newer.
    }
  }
  // Test files are not in the bundle: editing one keeps it fresh.
  const newer = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return newer(p);
      return !/\.test\.tsx?$/.test(e.name) && fs.statSync(p).mtimeMs > built;
    });
  return newer(path.join(root, 'main')) || newer(path.join(root, 'common')) ? null : bundle;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bundle = freshBundle();
  if (bundle) {
    const { main } = await import(pathToFileURL(bundle).href);
    process.exitCode = await main(process.argv.slice(2));
  } else {
    await import(pathToFileURL(path.join(root, 'bin', 'vigie.mjs')).href);
  }
}
