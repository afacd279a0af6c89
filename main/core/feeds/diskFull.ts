/** SQLite's and the OS's words for a full disk (better-sqlite3 sets `code`; fs errors too). */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'SQLITE_FULL' || e?.code === 'ENOSPC' || (typeof e?.message === 'string' && /database or disk is full|no space left on device/i.test(e.message));
}

/** What a supervisor and IT read when the disk is full: the cause, what is lost, what to do. */
export function diskFullReason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code ?? 'SQLITE_FULL';
  return `the disk holding the profile is full (${code}): new data from this feed is not stored until space is freed on it; the feed retries by itself`;
}
