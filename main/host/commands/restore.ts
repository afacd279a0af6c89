import path from 'node:path';
import { restoreProfile } from '../../core/backup/backup';
import { Store } from '../../core/store';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'restore',
  summary: 'Restore a profile from a backup, checked first; the journal is verified after',
  usage: `vigie restore --from BACKUP [--profile DIR]

  Stop Vigie on this profile first. The backup is checked (its manifest's SHA-256 and SQLite's
  quick_check) before anything changes; the database already in the profile is moved aside as
  vigie.sqlite.before-restore-<time>, never deleted. After the copy, the audit journal's hash chain
  is verified. Feed credentials are not in backups: set them again (\`vigie credentials set\`).

  --from BACKUP  a backup folder (\`vigie backup --list\` shows them)
  --profile DIR  the profile to restore into (default: ${defaultProfileDir()})`,
  async run(argv) {
    const { values } = parse(argv, { from: { type: 'string' }, profile: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.from) throw new UsageError('say which backup: --from DIR (`vigie backup --list` shows them)');
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    const result = restoreProfile(path.resolve(values.from), profileDir);
    if (result.setAside) console.log(`The previous database was kept as ${result.setAside}.`);
    const store = Store.open(profileDir);
    try {
      const journal = store.audit.verify();
      if (!journal.ok) {
        console.error(`Restored, but the audit journal is BROKEN at row ${journal.firstBroken!.id}: ${journal.firstBroken!.problem}. Keep the backup for investigation; restore an older one.`);
        return 1;
      }
      console.log(`Restored ${profileDir} from ${result.manifest.createdAt}: ${result.manifest.events} events; audit journal intact (${journal.rows} rows, hash chain verified).`);
    } finally {
      store.close();
    }
    return 0;
  },
};
export default command;
