import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AuditJournal } from './journal';

/**
 * Retention of journal rows (CNIL: keep access logs 6 to 12 months). Old rows are purged through
 * a checkpoint signed with a key kept outside the journal (journal.ts purgeBefore), so the rows
 * that remain are still proved by `vigie audit verify`, and an edited checkpoint is noticed.
 * The key file is created 0600 on first purge; IT can place it where the profile's users cannot
 * write (journal.checkpointKeyFile in the machine policy).
 */
export const JournalRetentionConfig = z
  .object({
    retentionMonths: z.number().int().min(6).max(12).default(12),
    /** Relative to the profile. */
    checkpointKeyFile: z.string().min(1).default('audit-checkpoint.key'),
  })
  .strict();
export type JournalRetentionConfig = z.infer<typeof JournalRetentionConfig>;

/** The checkpoint key, or null when there is none yet (`create`: make one, 0600). */
export function checkpointKey(file: string, create = false): Buffer | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} is not a journal checkpoint key (64 hex digits)`);
    return Buffer.from(text, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The instant before which journal rows are purged: `months` calendar months before `now`. */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/** Purges what is older than the retention; returns how many rows went. */
export function purgeJournal(journal: AuditJournal, config: JournalRetentionConfig & { keyFile: string }, now: number): number {
  const cutoff = retentionCutoff(now, config.retentionMonths);
  const oldest = journal.oldestTime();
  if (oldest === null || oldest >= cutoff) return 0;
  const key = checkpointKey(config.keyFile, true)!;
  return journal.purgeBefore(cutoff, key, now);
}
