import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers';
import { NOT_BUNDLED, unsatisfiedExternals } from './bundleDeps.mjs';

const repo = path.resolve(__dirname, '..');
const { dependencies } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** esbuild's real metafile for a one-file program, resolved against this repository's node_modules. */
async function metafileOf(source: string, external: string[]) {
  const dir = tempDir('vigie-bundle-');
  const entry = path.join(dir, 'entry.ts');
  fs.writeFileSync(entry, source);
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, outfile: path.join(dir, 'out.mjs'), metafile: true, external, nodePaths: [path.join(repo, 'node_modules')], logLevel: 'silent' });
  return result.metafile;
}

describe('what the installed app may import at run time', () => {
  it('flags a pure-JS devDependency left outside the bundle, as the old `packages: external` build did with pmtiles', async () => {
    const meta = await metafileOf("import { z } from 'zod';\nimport Database from 'better-sqlite3';\nexport const x = [z, Database];", ['zod', 'better-sqlite3']);
    const problems = unsatisfiedExternals(meta, dependencies);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/imports "zod" at run time, but zod is not a production dependency: bundle it/);
  });

  it('accepts the same program once zod is inside the bundle and only the native addon and built-ins stay outside', async () => {
    const meta = await metafileOf("import fs from 'node:fs';\nimport { z } from 'zod';\nimport Database from 'better-sqlite3';\nexport const x = [fs, z, Database];", Object.keys(NOT_BUNDLED));
    expect(unsatisfiedExternals(meta, dependencies)).toEqual([]);
  });

  it('keeps the production dependencies to what cannot be bundled', () => {
    expect(Object.keys(dependencies).sort()).toEqual(Object.keys(NOT_BUNDLED).filter((p) => p in dependencies).sort());
    expect(Object.keys(dependencies).sort()).toEqual(['better-sqlite3', 'world-atlas']);
  });
});
