#!/usr/bin/env node
// `vigie …`. In a development checkout (the TypeScript sources are here) it runs them through tsx,
// a devDependency, so that `npx vigie` always runs the code as it stands; an installed copy has
// only dist/ and runs the CLI bundled by scripts/build.mjs, with the production dependencies alone.
// A checkout installed without its devDependencies (`npm ci --omit=dev`, as a server is) has no
// tsx: it runs the bundle too, or says how to build it.
import fs from 'node:fs';

const sources = new URL('../main/host/cli.ts', import.meta.url);
const bundle = new URL('../dist/host/cli.mjs', import.meta.url);

async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return null;
  }
}

let main;
const register = fs.existsSync(sources) ? await tsxRegister() : null;
if (register) {
  register();
  ({ main } = await import(sources.href));
} else if (fs.existsSync(bundle)) {
  ({ main } = await import(bundle.href));
} else {
  console.error('vigie: this copy has neither tsx (a devDependency) nor the built CLI: run `npm ci && npm run build`, or install a release.');
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
