import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's rule (stores/createStoreContext.tsx): a store lives in a provider, read through
 * selector hooks; a module-level zustand `create(` is allowed only for the two stores that rule
 * names, the replay clock and the interface language.
 */
const RENDERER = path.resolve(__dirname, '..');
const ALLOWED = ['stores/replayClock.ts', 'i18n/index.ts'];

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('global stores in the renderer', () => {
  it('exist only where createStoreContext.tsx says why', () => {
    const global = sources(RENDERER)
      .filter((file) => /\bimport\s*\{[^}]*\bcreate\b[^}]*\}\s*from\s*'zustand'/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(RENDERER, file).split(path.sep).join('/'))
      .sort();
    expect(global).toEqual([...ALLOWED].sort());
    const rule = fs.readFileSync(path.join(RENDERER, 'stores/createStoreContext.tsx'), 'utf8');
    for (const file of ALLOWED) expect(rule).toContain(file);
  });
});
