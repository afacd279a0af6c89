// Benches that load the TypeScript pipeline itself: the file runs again under tsx as a child
// (`--child`), so `node bench/x.mjs` works without a build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Call first with the bench's import.meta.url: in the parent it runs the child and exits. */
export function runUnderTsx(benchUrl) {
  if (process.argv.includes('--child')) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(benchUrl), '--child', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** `--name N` as a number, else the fallback. */
export const numberArg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
