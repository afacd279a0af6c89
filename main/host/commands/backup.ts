import path from 'node:path';
import { backupDir, backupProfile, listBackups, pruneBackups } from '../../core/backup/backup';
import { loadMachinePolicy } from '../../core/policy/machinePolicy';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'backup',
  summary: 'Back up a profile (live or not) with SQLite\'s online backup: cache, event log and journal',
  usage: `vigie backup [--profile DIR] [--to DIR] [--keep N]
vigie backup --list [--profile DIR] [--to DIR]

  Copies the profile's SQLite cache (event log, picture and audit journal, at one instant, while
  Vigie keeps running) and its config.json/settings into DIR/vigie-<UTC time>/, with a manifest
  (SHA-256, schema, counts). Feed credentials (secrets/) are not copied: enter them again after a
  restore. The machine policy's "backup": { "everyHours", "keep", "dir" } runs this on a schedule.

  --profile DIR  the profile (default: ${defaultProfileDir()})
  --to DIR       where backups go (default: the policy's backup.dir, else <profile>/backups)
  --keep N       then keep only the newest N backups there (default: the policy's backup.keep; else all)
  --list         list the backups there, newest first, and exit
Restore one with \`vigie restore --from DIR\`; \`vigie doctor\` says how old the newest is.`,
  async run(argv) {
    const { values } = parse(argv, { profile: { type: 'string' }, to: { type: 'string' }, keep: { type: 'string' }, list: { type: 'boolean' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    const policy = loadMachinePolicy();
    const scheduled = policy.status === 'applied' ? policy.policy.backup : undefined;
    const dir = values.to ? path.resolve(values.to) : backupDir(profileDir, scheduled?.dir);
    if (values.list) {
      const backups = listBackups(dir);
      if (backups.length === 0) console.log(`No backup in ${dir}.`);
      for (const b of backups) console.log(`${b.dir}  ${new Date(b.createdAt).toISOString()}  ${b.manifest ? `${b.manifest.events} events, ${b.manifest.journalRows} journal rows, ${(b.manifest.bytes / 1e6).toFixed(1)} MB` : 'no manifest'}`);
      return 0;
    }
    const keep = values.keep === undefined ? scheduled?.keep : Number(values.keep);
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new UsageError(`--keep ${values.keep}: expected a whole number of backups, 1 or more`);
    const made = await backupProfile(profileDir, dir);
    const m = made.manifest!;
    console.log(`Backed up ${profileDir} to ${made.dir}: ${m.events} events, ${m.journalRows} journal rows, ${(m.bytes / 1e6).toFixed(1)} MB in ${(m.ms / 1000).toFixed(1)} s.`);
    if (keep !== undefined) {
      const removed = pruneBackups(dir, keep);
      if (removed.length > 0) console.log(`Removed ${removed.length} older backup(s), keeping ${keep}.`);
    }
    return 0;
  },
};
export default command;
