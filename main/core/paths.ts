import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Vigie's package.json (the checkout, or the unpacked app). */
export function appRoot(): string {
  if (process.env.VIGIE_APP_ROOT) return process.env.VIGIE_APP_ROOT;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'vigie') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('Cannot find Vigie\'s package.json above ' + fileURLToPath(import.meta.url) + '; set VIGIE_APP_ROOT.');
    dir = up;
  }
}

/**
 * The shared real-data folder of a development checkout (`../shared/data`), or null where it is
 * absent, as on an installed workstation: the product never requires it.
 */
export function sharedDataDir(): string | null {
  const dir = process.env.VIGIE_SHARED_DATA ?? path.resolve(appRoot(), '..', 'shared', 'data');
  return fs.existsSync(dir) ? dir : null;
}
