import path from 'node:path';

/**
 * The data service refuses a database it must not open (damaged, or written by a newer Vigie).
 * Restarting it cannot help, so it says so to Electron's main with this message and this exit
 * code, and main shows a dialog instead of restarting it (main/electron/serviceExit.ts). No
 * SQLite here: Electron's main imports this file.
 */
export const EXIT_REFUSED_DATABASE = 3;

export interface ServiceRefusal {
  type: 'refused';
  reason: 'damaged' | 'newer';
  /** The database file refused. */
  file: string;
  profileDir: string;
  /** The service's full sentence (what, why, what to do). */
  message: string;
  lastBackup: { dir: string; createdAt: number } | null;
  /** The command that puts the last backup back, when there is one (damaged databases only). */
  restoreCommand: string | null;
}

/** The refusal an error from opening the profile stands for, or null for any other failure. */
export function refusalOf(error: unknown, profileDir: string): ServiceRefusal | null {
  const e = error as { name?: string; message?: string; file?: string; lastBackup?: { dir: string; createdAt: number } | null };
  // By name, not instanceof: this file stays free of the SQLite module Electron's main must not load.
  const reason = e?.name === 'DamagedDatabaseError' ? 'damaged' : e?.name === 'DatabaseFromTheFutureError' ? 'newer' : null;
  if (!reason) return null;
  const lastBackup = reason === 'damaged' ? (e.lastBackup ?? null) : null;
  return {
    type: 'refused',
    reason,
    file: e.file ?? path.join(profileDir, 'vigie.sqlite'),
    profileDir,
    message: e.message ?? '',
    lastBackup,
    restoreCommand: lastBackup ? `vigie restore --from "${lastBackup.dir}" --profile "${profileDir}"` : null,
  };
}

export function isServiceRefusal(message: unknown): message is ServiceRefusal {
  const m = message as Partial<ServiceRefusal> | null;
  return !!m && m.type === 'refused' && (m.reason === 'damaged' || m.reason === 'newer') && typeof m.file === 'string' && typeof m.message === 'string';
}
