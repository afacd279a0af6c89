import fs from 'node:fs';
import path from 'node:path';
import { readPackManifest } from '../city/packBuild';
import { Router } from './router';

const loaded = new Map<string, { mtimeMs: number; router: Router }>();

/**
 * The road network of a pack folder, or null when the pack has no roads. Kept per folder and
 * reloaded when the graph file changes (a rebuilt pack), so a ranking never reads the file.
 */
export function packRouter(dir: string): Router | null {
  const manifest = readPackManifest(dir);
  if (!manifest.roads) return null;
  const file = path.join(dir, path.basename(manifest.roads.graph));
  if (!fs.existsSync(file)) throw new Error(`city pack ${dir}: its road graph ${manifest.roads.graph} is missing; rebuild the pack with "vigie pack build --roads …".`);
  const { mtimeMs } = fs.statSync(file);
  const known = loaded.get(file);
  if (known && known.mtimeMs === mtimeMs) return known.router;
  const router = Router.load(file);
  loaded.set(file, { mtimeMs, router });
  return router;
}
