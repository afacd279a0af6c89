import { buildSync } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * A TypeScript script that a test spawns many times (`node <returned path> …`), bundled once by
 * esbuild: `node --import tsx script.ts` transforms every module it imports again in each process,
 * about a second of CPU here. Packages stay external (better-sqlite3 is native); the bundle is
 * written under node_modules/.cache so that Node finds them from there. Same code, started faster.
 */
export function bundleScript(entry: string): string {
  // One folder per test process; those of processes gone (Vitest may kill its workers) are removed.
  const cache = path.join(root, 'node_modules', '.cache');
  const dir = path.join(cache, `vigie-test-${process.pid}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(cache)) {
      const pid = Number(/^vigie-test-(\d+)$/.exec(name)?.[1]);
      if (pid && !alive(pid)) fs.rmSync(path.join(cache, name), { recursive: true, force: true });
    }
  }
  const outfile = path.join(dir, `${path.basename(entry).replace(/\.tsx?$/, '')}.mjs`);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  return outfile;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
