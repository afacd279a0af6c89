import fs from 'node:fs';
import path from 'node:path';
import { EMPTY_LAYOUT, parseLayout, WindowLayout } from './windowLayout';

/** The layout file's name, in Electron's userData (one per workstation and OS user). */
export const WINDOW_LAYOUT_FILE = 'window-layout.json';

/** The saved layout; a missing file is the default, a damaged one the default and the reason. */
export function readLayoutFile(file: string): { layout: WindowLayout; problem: string | null } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { layout: EMPTY_LAYOUT, problem: null };
    return { layout: EMPTY_LAYOUT, problem: `it cannot be read (${(error as Error).message})` };
  }
  return parseLayout(text);
}

/**
 * Writes the layout whole or not at all: a temporary file beside it, then a rename, so a crash or
 * a power cut mid-write leaves the previous layout, never half a file.
 */
export function writeLayoutFile(file: string, layout: WindowLayout): void {
  const checked = WindowLayout.parse(layout);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(checked, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

/**
 * Moves a damaged layout file aside (window-layout.json.damaged) so that the next save does not
 * destroy what IT or support may want to read; returns where it went.
 */
export function quarantineLayoutFile(file: string): string | null {
  const aside = `${file}.damaged`;
  try {
    fs.renameSync(file, aside);
    return aside;
  } catch {
    return null;
  }
}
