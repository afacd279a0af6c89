#!/usr/bin/env node
// Builds everything the app runs from dist/: the renderer (Vite), Electron main and preload
// (CommonJS, as Electron's sandboxed preload requires), the data service and the CLI (ESM, Node).
import { build as vite } from 'vite';
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NOT_BUNDLED, unsatisfiedExternals } from './bundleDeps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
// Every package whose code ends up inside a bundle, by its package-lock key ("node_modules/zod"),
// for the SBOM (scripts/release/sbom.mjs): bundled code ships as surely as node_modules does.
const bundled = new Set();
const lockKey = (file) => {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(file.split('\\').join('/'));
  return m ? m[1].slice(m[1].indexOf('node_modules/')) : null;
};
const collect = (files) => {
  for (const f of files) {
    const key = lockKey(f.startsWith(root) ? f.slice(root.length) : f);
    if (key) bundled.add(key);
  }
};
await vite({
  configFile: `${root}/vite.config.ts`,
  logLevel: 'warn',
  plugins: [{ name: 'vigie-bundled-packages', generateBundle: (_o, bundle) => Object.values(bundle).forEach((c) => c.type === 'chunk' && collect(Object.keys(c.modules))) }],
});
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root, metafile: true };
// The Node side carries its pure-JS packages inside the bundle (docs/deploy.md §10): they are
// devDependencies, and the installed app's node_modules holds only what cannot be bundled.
// Bundled CommonJS packages call require() for Node built-ins: give the ESM bundles a real one.
const node = {
  ...common,
  format: 'esm',
  external: Object.keys(NOT_BUNDLED),
  banner: { js: "import { createRequire as __vigieRequire } from 'node:module'; const require = __vigieRequire(import.meta.url);" },
};
const results = await Promise.all([
  esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['main/host/service.ts'], outfile: 'dist/host/service.mjs' }),
  // The command line, for an installed copy (bin/vigie.mjs runs it where the sources are absent).
  esbuild({ ...node, entryPoints: ['main/host/cli.ts'], outfile: 'dist/host/cli.mjs' }),
  // The forecast check runs in a worker thread beside the service and the CLI (main/core/forecast/check.ts).
  esbuild({ ...node, entryPoints: ['main/core/forecast/checkWorker.ts'], outfile: 'dist/host/forecast-check-worker.mjs' }),
]);
for (const r of results) collect(Object.keys(r.metafile.inputs));
fs.writeFileSync(`${root}/dist/bundled-packages.json`, `${JSON.stringify([...bundled].sort(), null, 1)}\n`);
const { dependencies } = JSON.parse(fs.readFileSync(`${root}/package.json`, 'utf8'));
const problems = results.flatMap((r) => unsatisfiedExternals(r.metafile, dependencies));
if (problems.length > 0) {
  console.error(`The built app would fail on a workstation:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`Built renderer, Electron main, preload, data service and CLI into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
