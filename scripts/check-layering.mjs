#!/usr/bin/env node
// The layering of ../shared/ARCHITECTURE.md as a check that fails the build:
//   common/     imports nothing of ours outside common/, no node:*, no electron, no DOM-only packages
//   main/core/  never imports electron, nor main/electron, main/host, renderer/, preload/
//   renderer/   never imports main/ or preload/, node:* or electron
//   preload/    imports only common/ and electron
//   bin/        runs unbundled on a workstation: only node:*, dist/ and production dependencies
//               (pure-JS packages reach run time only inside the dist/ bundles, docs/deploy.md §10)
// Usage: node scripts/check-layering.mjs [ROOT]   (exit 1 and one line per violation)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from './lib/sourceFiles.mjs';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs)$/;
const IMPORT = /(?:^|[^\w$.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w$.])import\s*['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

const manifest = path.join(root, 'package.json');
const dependencies = fs.existsSync(manifest) ? Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).dependencies ?? {}) : [];
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
// bin/vigie.mjs runs the TypeScript sources through tsx only where they exist: a checkout, never an installed copy.
const BIN_DEV_PATH = new Set(['tsx']);

const rules = [
  {
    layer: 'common',
    forbid: (spec, target) =>
      (target && !target.startsWith('common/') && 'project code outside common/') ||
      (spec.startsWith('node:') && 'node:* modules (common runs in every process)') ||
      (spec === 'electron' && 'electron') ||
      (/^(react|react-dom|maplibre-gl|@deck\.gl\/)/.test(spec) && 'renderer-only packages'),
  },
  {
    layer: 'main/core',
    forbid: (spec, target) =>
      (spec === 'electron' || spec.startsWith('electron/')) ? 'electron (main/core is plain Node)' :
      target && /^(main\/electron|main\/host|renderer|preload)\//.test(target) ? `${target.split('/').slice(0, 2).join('/')} (core is below them)` : false,
  },
  {
    layer: 'renderer',
    forbid: (spec, target) =>
      (target && /^(main|preload)\//.test(target) && `${target.split('/')[0]}/ (the renderer talks only to a VigieClient)`) ||
      (spec.startsWith('node:') && 'node:* modules') ||
      (spec === 'electron' && 'electron'),
  },
  {
    layer: 'bin',
    forbid: (spec, target) =>
      target || spec.startsWith('node:') || dependencies.includes(packageOf(spec)) || BIN_DEV_PATH.has(packageOf(spec))
        ? false
        : `"${packageOf(spec)}", which is not a production dependency (bundle it into dist/ and import it from there)`,
  },
  {
    layer: 'preload',
    forbid: (spec, target) => (target && !/^(common|preload)\//.test(target) ? 'project code other than common/' : false),
  },
];

const walk = (dir) => sourceFiles(dir, (name) => SOURCE.test(name));

const violations = [];
for (const rule of rules) {
  for (const file of walk(path.join(root, rule.layer))) {
    const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const target = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/') : null;
      if (target?.startsWith('..')) continue;
      const why = rule.forbid(spec, target);
      if (why) violations.push(`${path.relative(root, file)}: imports "${spec}": ${rule.layer}/ must not import ${why}`);
    }
  }
}

if (violations.length > 0) {
  console.error(`Layering violations (see ARCHITECTURE.md, "What runs where"):\n${violations.map((v) => `  ${v}`).join('\n')}`);
  process.exit(1);
}
console.log(`Layering OK: common/, main/core/, renderer/ and preload/ import only what their layer allows.`);
