import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Two rules of the renderer that read its files (here in scripts/: renderer/ may not import node:*).
const RENDERER = path.resolve(__dirname, '..', 'renderer');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}
const rel = (file: string) => path.relative(RENDERER, file).split(path.sep).join('/');

describe('the renderer', () => {
  it('formats for people in one place: renderer/i18n/format.ts alone builds Intl formatters or names a locale tag', () => {
    const offenders = sources(RENDERER)
      .filter((file) => rel(file) !== 'i18n/format.ts')
      .filter((file) => /new Intl\.|'fr-FR'|'en-GB'|toLocale(Date|Time)?String\(/.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('keeps module-level zustand stores to the two that createStoreContext.tsx names and explains', () => {
    const allowed = ['i18n/index.ts', 'stores/replayClock.ts'];
    const global = sources(RENDERER)
      .filter((file) => /\bimport\s*\{[^}]*\bcreate\b[^}]*\}\s*from\s*'zustand'/.test(fs.readFileSync(file, 'utf8')))
      .map(rel)
      .sort();
    expect(global).toEqual(allowed);
    const rule = fs.readFileSync(path.join(RENDERER, 'stores/createStoreContext.tsx'), 'utf8');
    for (const file of allowed) expect(rule).toContain(file);
  });
});
