import fs from 'node:fs';
import path from 'node:path';
import { runDoctor, type Status } from '../../core/doctor/doctor';
import { writeSupportBundle } from '../../core/doctor/bundle';
import { appRoot } from '../../core/paths';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import type { Command } from './command';

const MARK: Record<Status, string> = { ok: '✓', warn: '!', fail: '✗' };

const command: Command = {
  name: 'doctor',
  summary: 'Say whether this workstation is healthy (database, disk, feeds, policy, journal, backups, hub)',
  usage: `vigie doctor [--profile DIR] [--json] [--bundle FILE]

  Checks, read-only: the database (SQLite quick_check) and its schema version, free disk space and
  that the profile's disk takes a write, the machine and role policies (valid? from where?), the
  config and each feed's health, the audit journal's hash chain and its anchors, the age of the
  newest backup, and each hub of config.json: reachable? how far is its clock from ours?
  Each line says what to do. Exit 0 when nothing failed (warnings included), 1 otherwise.

  --profile DIR  the profile (default: ${defaultProfileDir()})
  --json         the findings as JSON
  --bundle FILE  also write a support bundle (FILE.tar.gz: findings, versions, config, settings,
                 policies and logs, every secret removed) to attach to a ticket`,
  async run(argv) {
    const { values } = parse(argv, { profile: { type: 'string' }, json: { type: 'boolean' }, bundle: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    const findings = await runDoctor({ profileDir });
    if (values.json) console.log(JSON.stringify(findings, null, 2));
    else {
      const width = Math.max(...findings.map((f) => f.check.length));
      console.log(`Vigie doctor: ${profileDir}`);
      for (const f of findings) console.log(`${MARK[f.status]} ${f.check.padEnd(width)}  ${f.detail}`);
    }
    if (values.bundle) {
      const version = JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version as string;
      const names = writeSupportBundle(values.bundle, { profileDir, findings, version });
      console.error(`Support bundle written to ${values.bundle} (${names.length} files, secrets removed).`);
    }
    const failed = findings.filter((f) => f.status === 'fail').length;
    if (!values.json) console.log(failed ? `${failed} problem(s) to fix.` : 'Healthy.');
    return failed ? 1 : 0;
  },
};
export default command;
