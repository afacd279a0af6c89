import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../renderer/i18n/en';

/**
 * The keys README.md and docs/*.md name must be the app's: read from the renderer's shortcut table
 * (what `?` lists), each key a doc mentions must be there, with a meaning the sentence around it
 * shares words with. A doc that says "(T)" for the indicator editor when T is live/replay fails.
 * (In scripts/, not beside the dialog: renderer/ may not import node:*, and this reads files.)
 */
const ROOT = path.resolve(__dirname, '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** What reads as a key: a letter or digit, a named key, a punctuation key, each maybe after Shift+, or a range (Shift+1…9). */
const KEY = /^(?:Shift\+)?(?:[A-Z0-9](?:…\d)?|Esc|Tab|Enter|Space|Backspace|[/?.,[\]\-+])$/;

/** "Shift+1…9" → Shift+1 … Shift+9; "2 … 9" is written as a range in the table too. */
function expand(key: string): string[] {
  const range = /^(Shift\+)?(\d)\s*…\s*(\d)$/.exec(key);
  if (!range) return [key];
  const out: string[] = [];
  for (let n = Number(range[2]); n <= Number(range[3]); n++) out.push(`${range[1] ?? ''}${n}`);
  return out;
}

/** Every key of the table, with the English labels of the lines that carry it. */
function tableKeys(shortcuts: { keys: string; where?: keyof typeof en; label: keyof typeof en }[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const s of shortcuts) {
    for (const part of s.keys.split(/\s+\/\s+|\s+(?=[←↑→↓])/)) {
      for (const key of expand(part.trim())) keys.set(key, [...(keys.get(key) ?? []), s.where ? `${en[s.label]} (${en[s.where]})` : en[s.label]]);
    }
  }
  return keys;
}

interface Mention {
  file: string;
  line: number;
  key: string;
  context: string;
}

/** Keys in `code`, (parentheses) and **bold**, and bare Shift+X: how these docs write keys. */
function mentions(file: string): Mention[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: Mention[] = [];
  const add = (key: string, at: number, end: number) => {
    // The sentence around the key, within its paragraph or table row.
    const before = text.slice(Math.max(0, at - 200), at).split(/\n\s*\n|\n\|/).pop()!;
    const after = text.slice(end, end + 70).split(/\n\s*\n|\n\|/)[0]!;
    for (const k of expand(key)) found.push({ file, line: text.slice(0, at).split('\n').length, key: k, context: `${before}⟨${key}⟩${after}`.replace(/\s+/g, ' ') });
  };
  const taken = new Set<number>();
  // Code spans one after the other (so `a`/`b` is two spans, never "`/`").
  for (const m of text.matchAll(/```[\s\S]*?```|`([^`\n]+)`/g)) {
    if (m[1] !== undefined && KEY.test(m[1])) add(m[1], m.index, m.index + m[0].length);
    for (let i = m.index; i < m.index + m[0].length; i++) taken.add(i);
  }
  for (const m of text.matchAll(/\((Shift\+[A-Z0-9]|[A-Z])\)|\*\*(Shift\+[A-Z0-9]|[A-Z])\*\*|\bShift\+[A-Z0-9](?:…\d)?\b/g)) {
    if (taken.has(m.index)) continue;
    add(m[1] ?? m[2] ?? m[0], m.index, m.index + m[0].length);
  }
  return found;
}

/** Words of three letters and more, cut to four: "indicators" and "editor" meet "Edit indicators" at "indi" and "edit". */
const STOP = new Set(
  'the and for its not any one all are was but can has you use new see set key keys with that this then from when each what them they their also only into over here there where which'.split(' '),
);
const stems = (text: string) => new Set((text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).filter((w) => !STOP.has(w)).map((w) => w.slice(0, 4)));

let SHORTCUTS: { keys: string; where?: keyof typeof en; label: keyof typeof en }[];
beforeAll(async () => {
  // The dialog's module loads the i18n store, which reads the saved or the browser's language.
  Object.assign(globalThis, { localStorage: { getItem: () => null, setItem: () => undefined } });
  if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { language: 'en-GB' } });
  ({ SHORTCUTS } = await import('../renderer/app/ShortcutsDialog'));
});

describe('the keys the documentation names', () => {
  it('finds the keys in the docs and in the shortcut table', () => {
    const all = DOCS.flatMap(mentions);
    expect(all.length).toBeGreaterThan(30);
    expect(all.map((m) => m.key)).toEqual(expect.arrayContaining(['Shift+T', 'Shift+9', 'G', 'Esc', 'Space']));
    expect([...tableKeys(SHORTCUTS).keys()]).toEqual(expect.arrayContaining(['J', '↓', 'Shift+1', 'Shift+9', '2', '9', 'Shift+Y', 'Enter', 'Esc', '[', ']']));
  });

  it('are keys of the app, each with the meaning the docs give it', () => {
    const table = tableKeys(SHORTCUTS);
    const wrong: string[] = [];
    for (const m of DOCS.flatMap(mentions)) {
      const labels = table.get(m.key);
      const where = `${m.file}:${m.line} ${m.key} in "${m.context}"`;
      if (!labels) {
        wrong.push(`${where}: no shortcut has this key`);
        continue;
      }
      const said = stems(m.context);
      if (!labels.some((label) => [...stems(label)].some((s) => said.has(s)))) wrong.push(`${where}: the key means ${labels.map((l) => `"${l}"`).join(' or ')}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the README on starting', () => {
  it('says that `npm start` builds before it starts, as package.json has it do', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(start).toMatch(/npm run build.*&&/);
    expect(readme).toMatch(/`npm start` builds the app again first/);
  });
});

describe('the shortcut table', () => {
  it('gives each key one meaning wherever no panel or mode narrows it (two features merged onto one key are caught here)', () => {
    const global = new Map<string, string>();
    const clashes: string[] = [];
    for (const s of SHORTCUTS.filter((r) => !r.where)) {
      // "Shift+J / Shift+K" is two keys, "Ctrl+K / /" two, "1 … 4" one.
      for (const key of s.keys.split(' / ').map((k) => k.trim())) {
        const before = global.get(key);
        if (before && before !== s.label) clashes.push(`${key}: ${before} and ${s.label}`);
        global.set(key, s.label);
      }
    }
    expect(clashes).toEqual([]);
  });
});
