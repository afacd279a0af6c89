#!/usr/bin/env node
// `vigie …`. In a development checkout (the TypeScript sources are here) it runs them through tsx,
// a devDependency, so that `npx vigie` always runs the code as it stands; an installed copy has
// only dist/ and runs the CLI bundled by scripts/build.mjs, with the production dependencies alone.
import fs from 'node:fs';

const sources = new URL('../main/host/cli.ts', import.meta.url);
let main;
if (fs.existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/host/cli.mjs'));
}
process.exitCode = await main(process.argv.slice(2));
