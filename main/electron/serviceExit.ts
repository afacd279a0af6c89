import path from 'node:path';
import { EXIT_REFUSED_DATABASE, type ServiceRefusal } from '../host/serviceRefusal';
import type { RestartBackoff } from './restartBackoff';

/** What Electron's main does when the data service exits. */
export type AfterExit =
  | { action: 'none' }
  | { action: 'restart'; delayMs: number }
  | { action: 'dialog'; title: string; message: string; detail: string; restoreCommand: string | null };

/**
 * A crash is restarted with backoff; a refused database is not (the same file would be refused
 * again, forever): the supervisor and IT get a dialog naming the file, the last backup and the
 * restore command. Main has no SQLite: what it names comes from the service's refusal message, or,
 * if that message was lost with the process, from the exit code and the profile.
 */
export function afterServiceExit(input: { code: number | null; quitting: boolean; refusal: ServiceRefusal | null; profileDir: string; backoff: RestartBackoff; now: number }): AfterExit {
  if (input.quitting) return { action: 'none' };
  if (input.refusal || input.code === EXIT_REFUSED_DATABASE) return { action: 'dialog', ...refusalDialog(input.refusal, input.profileDir) };
  return { action: 'restart', delayMs: input.backoff.exited(input.now) };
}

/** The dialog's text, in French and English (main does not know the desk's language before the service answers). */
export function refusalDialog(refusal: ServiceRefusal | null, profileDir: string): { title: string; message: string; detail: string; restoreCommand: string | null } {
  const file = refusal?.file ?? path.join(profileDir, 'vigie.sqlite');
  const title = 'Vigie';
  if (refusal?.reason === 'newer') {
    return {
      title,
      message: `La base ${file} a été écrite par une version plus récente de Vigie.\nThe database ${file} was written by a newer Vigie.`,
      detail: `Vigie ne l'a pas ouverte et n'a rien modifié. Installez la version plus récente, ou ouvrez un autre profil (--profile).\nVigie did not open it and changed nothing. Install the newer Vigie, or open another profile (--profile).\n\n${refusal.message}`,
      restoreCommand: null,
    };
  }
  const backup = refusal?.lastBackup ?? null;
  const when = backup ? new Date(backup.createdAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
  const command = refusal?.restoreCommand ?? null;
  const steps = command
    ? `Dernière sauvegarde / Last backup: ${backup!.dir} (${when})\n\nFermez Vigie, puis restaurez-la / Close Vigie, then restore it:\n  ${command}\npuis / then: vigie doctor --profile "${profileDir}"`
    : refusal
      ? `Aucune sauvegarde de ce profil / No backup of this profile was found.\nGardez le fichier pour le service informatique ; démarrez sur un nouveau profil (--profile). Keep the file for IT; start on a new profile (--profile).\nvigie doctor --profile "${profileDir}" en dit plus / says more.`
      : `Le service de données a refusé la base sans en dire plus / The data service refused the database without saying more.\nLancez / Run: vigie doctor --profile "${profileDir}"`;
  return {
    title,
    message: `La base ${file} est endommagée : Vigie ne l'a pas ouverte et n'a rien modifié.\nThe database ${file} is damaged: Vigie did not open it and changed nothing.`,
    detail: `${steps}${refusal ? `\n\n${refusal.message}` : ''}`,
    restoreCommand: command,
  };
}
