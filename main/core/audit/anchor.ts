import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditJournal } from './journal';
import { log } from '../log';

const logger = log('audit');

/**
 * External anchors for the audit journal. The hash chain proves that no row was changed, inserted
 * or removed *between* rows, but someone who can write the SQLite file can drop the newest rows
 * and the chain still verifies. An anchor is the journal's head (last row id and hash) written,
 * from time to time, somewhere the workstation's users cannot rewrite: a file on an append-only
 * share or WORM volume that IT names in the machine policy (`audit.anchorFile`), or a line the
 * auditor copies from `vigie audit anchor`. `vigie audit verify --anchor FILE` then proves the
 * journal still holds every anchored row with the anchored hash.
 *
 * Anchor lines are themselves chained (each names the hash of the line before), so an edited or
 * removed line in the middle of the anchor file is detected as well.
 */
export interface Anchor {
  v: 1;
  /** When the anchor was written (ms). */
  t: number;
  /** The journal this anchor belongs to: the hash of its first row. */
  journal: string;
  /** The journal's head when anchored. */
  head: { id: number; hash: string };
  /** Hash of the previous anchor line of the file, or 64 zeros for the first. */
  prev: string;
  /** Hash of this line's fields (v, t, journal, head, prev). */
  hash: string;
}

export interface AnchorCheck {
  ok: boolean;
  anchors: number;
  /** The newest anchor checked (its head row id), when any. */
  newest?: { t: number; id: number };
  problem?: string;
}

const GENESIS = '0'.repeat(64);

function anchorHash(a: Omit<Anchor, 'hash'>): string {
  return crypto.createHash('sha256').update(JSON.stringify([a.v, a.t, a.journal, a.head.id, a.head.hash, a.prev])).digest('hex');
}

/** The head of the journal, or null when it is empty (nothing to anchor yet). */
export function journalHead(journal: AuditJournal): { first: string; id: number; hash: string } | null {
  const head = journal.head();
  const first = journal.first();
  return head && first ? { first: first.hash, ...head } : null;
}

/** Parses an anchor file and checks its own chain. A missing file is zero anchors. */
export function readAnchors(file: string): { anchors: Anchor[]; problem?: string } {
  if (!fs.existsSync(file)) return { anchors: [] };
  const anchors: Anchor[] = [];
  let prev = GENESIS;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let a: Anchor;
    try {
      a = JSON.parse(line) as Anchor;
    } catch {
      return { anchors, problem: `${file} line ${i + 1} is not an anchor (not JSON)` };
    }
    if (a?.v !== 1 || typeof a.head?.id !== 'number' || typeof a.hash !== 'string') return { anchors, problem: `${file} line ${i + 1} is not an anchor` };
    if (a.prev !== prev) return { anchors, problem: `${file} line ${i + 1} does not follow the line before it (an anchor line was removed or changed)` };
    if (anchorHash(a) !== a.hash) return { anchors, problem: `${file} line ${i + 1} was changed after it was written` };
    anchors.push(a);
    prev = a.hash;
  }
  return { anchors };
}

/**
 * Appends the journal's head to the anchor file, unless the newest anchor of this journal already
 * names it. Returns the anchor written, or null when there was nothing new. Synced to disk: an
 * anchor that a crash can lose anchors nothing.
 */
export function appendAnchor(file: string, journal: AuditJournal, t = Date.now()): Anchor | null {
  const head = journalHead(journal);
  if (!head) return null;
  const { anchors, problem } = readAnchors(file);
  if (problem) throw new Error(`cannot anchor to a damaged anchor file: ${problem}`);
  const last = anchors.at(-1);
  if (last && last.journal === head.first && last.head.id === head.id && last.head.hash === head.hash) return null;
  const base = { v: 1 as const, t, journal: head.first, head: { id: head.id, hash: head.hash }, prev: last?.hash ?? GENESIS };
  const anchor: Anchor = { ...base, hash: anchorHash(base) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, `${JSON.stringify(anchor)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return anchor;
}

/**
 * Checks the journal against every anchor of it in `anchors`: each anchored row must still be
 * there with the anchored hash. Together with the journal's own chain, this proves that nothing
 * up to the newest anchor was changed or cut off.
 */
export function checkAnchors(journal: AuditJournal, anchors: readonly Anchor[]): AnchorCheck {
  const first = journal.first();
  const mine = anchors.filter((a) => a.journal === first?.hash);
  if (anchors.length > 0 && mine.length === 0) {
    return { ok: false, anchors: 0, problem: first ? 'no anchor in the file belongs to this journal (its first row differs: the journal was replaced or rebuilt)' : 'the journal is empty but the anchor file names rows: it was emptied' };
  }
  const head = journal.head();
  const hashAt = journal.hashAt();
  // Rows purged by retention are proved by the signed checkpoint, not by the anchors that named them.
  const purgedUpTo = journal.checkpoint()?.lastId ?? 0;
  for (const a of mine) {
    if (a.head.id < purgedUpTo) continue;
    const when = new Date(a.t).toISOString();
    if (!head || head.id < a.head.id) {
      return { ok: false, anchors: mine.length, problem: `the journal ends at row ${head?.id ?? 0} but an anchor written at ${when} names row ${a.head.id}: rows ${(head?.id ?? 0) + 1}–${a.head.id} were cut off` };
    }
    const hash = hashAt(a.head.id);
    if (hash !== a.head.hash) {
      return { ok: false, anchors: mine.length, problem: `row ${a.head.id} does not match the anchor written at ${when}: the journal was rewritten up to that row` };
    }
  }
  const newest = mine.at(-1);
  return { ok: true, anchors: mine.length, ...(newest ? { newest: { t: newest.t, id: newest.head.id } } : {}) };
}

/** Anchors kept elsewhere (the hub's hub_anchors), as the lines of an anchor file `vigie audit verify --anchor` reads. */
export function anchorFileText(heads: readonly { t: number; journal: string; id: number; hash: string }[]): string {
  let prev = GENESIS;
  const lines: string[] = [];
  for (const h of heads) {
    const base = { v: 1 as const, t: h.t, journal: h.journal, head: { id: h.id, hash: h.hash }, prev };
    const anchor: Anchor = { ...base, hash: anchorHash(base) };
    lines.push(JSON.stringify(anchor));
    prev = anchor.hash;
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** Writes an anchor every `everyMs` while the journal grows (the machine policy's `audit.anchorFile`). */
export class AnchorWriter {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly journal: AuditJournal,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Anchors once more on the way out, so the last rows of a session are covered too. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tick();
  }

  tick(): void {
    try {
      appendAnchor(this.file, this.journal);
    } catch (error) {
      // The journal itself is intact; losing an anchor must be loud but must not stop the room.
      logger.error({ err: error }, `could not write the journal anchor to ${this.file}: ${(error as Error).message}`);
    }
  }
}
