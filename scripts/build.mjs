#!/usr/bin/env node
// Builds everything the app runs from dist/: the renderer (Vite), Electron main and preload
// (CommonJS, as Electron's sandboxed preload requires), the data service and the CLI (ESM, Node).
import { build as vite } from 'vite';
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
await vite({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
await Promise.all([
  esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['main/host/service.ts'], outfile: 'dist/host/service.mjs', format: 'esm', packages: 'external' }),
  // The command line, for an installed copy (bin/vigie.mjs runs it where the sources are absent).
  esbuild({ ...common, entryPoints: ['main/host/cli.ts'], outfile: 'dist/host/cli.mjs', format: 'esm', packages: 'external' }),
  // The forecast check runs in a worker thread beside the service and the CLI (main/core/forecast/check.ts).
  esbuild({ ...common, entryPoints: ['main/core/forecast/checkWorker.ts'], outfile: 'dist/host/forecast-check-worker.mjs', format: 'esm', packages: 'external' }),
]);
console.log(`Built renderer, Electron main, preload, data service and CLI into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
