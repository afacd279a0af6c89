import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Bookmark } from '../../../common/methods/replay';

const FILE = 'bookmarks.json';

/**
 * Replay bookmarks, one small JSON file per profile: a sandbox profile gets its own, and no
 * migration is needed for a list a person edits by hand a few times a day. Written to a temporary
 * file then renamed, so a crash mid-write never leaves a half file.
 */
export class BookmarkFile {
  private readonly file: string;
  constructor(profileDir: string) {
    this.file = path.join(profileDir, FILE);
  }

  list(): Bookmark[] {
    if (!fs.existsSync(this.file)) return [];
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(`${this.file} is not valid JSON (${(error as Error).message}); fix or remove it to use bookmarks.`, { cause: error });
    }
    const parsed = z.array(Bookmark).safeParse(json);
    if (!parsed.success) throw new Error(`${this.file} does not hold a list of bookmarks: ${parsed.error.issues[0]!.message}`);
    return parsed.data.sort((a, b) => a.at - b.at || a.createdAt - b.createdAt);
  }

  add(at: number, label: string, user: string, now = Date.now()): Bookmark {
    const bookmark: Bookmark = { id: crypto.randomUUID(), at, label, createdBy: user, createdAt: now };
    this.write([...this.list(), bookmark]);
    return bookmark;
  }

  remove(id: string): boolean {
    const list = this.list();
    const kept = list.filter((b) => b.id !== id);
    if (kept.length === list.length) return false;
    this.write(kept);
    return true;
  }

  private write(list: Bookmark[]): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(list.sort((a, b) => a.at - b.at), null, 2));
    fs.renameSync(tmp, this.file);
  }
}
