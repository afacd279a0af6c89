// The repository's source files under a folder, for the checks that read the code as text
// (layering, import cycles, SQL placement). Skips dependencies, build output and dot-folders.
import fs from 'node:fs';
import path from 'node:path';

/** Every file below `dir` whose name passes `accept`, depth first; [] when `dir` is absent. */
export function sourceFiles(dir, accept, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, accept, out);
    else if (accept(entry.name)) out.push(full);
  }
  return out;
}
