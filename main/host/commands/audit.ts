import os from 'node:os';
import path from 'node:path';
import { Store } from '../../core/store';
import { loadPolicy, roleFor } from '../../core/policy/policy';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'audit',
  summary: 'Check the hash chain of the audit journal, or export it (auditor role)',
  usage: `vigie audit verify --profile DIR
vigie audit export --profile DIR [--policy FILE]

  verify   walks the journal's hash chain; exit 0 when intact, 1 naming the first broken row
  export   prints every row as JSON lines, oldest first; only for a user the role policy makes
           auditor (the OS user running the command), and the export is itself journaled`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, policy: { type: 'string' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const [what] = positionals;
    if (what !== 'verify' && what !== 'export') throw new UsageError(what ? `unknown action "${what}"; known: verify, export` : 'say what to do: verify or export');
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    if (what === 'export') {
      const user = os.userInfo().username;
      const policy = loadPolicy(profileDir, values.policy);
      if (!policy) throw new UsageError(`export needs the role policy that makes you (${user}) auditor; none found (see --policy).`);
      const role = roleFor(policy, user);
      if (role !== 'auditor') {
        console.error(`vigie audit export: refused: ${user} is ${role} in ${policy.file}; exporting the journal is for the auditor role only.`);
        return 4;
      }
      const store = Store.open(profileDir);
      try {
        store.audit.append({ t: Date.now(), user, role, kind: 'consultation', action: 'audit.export', target: '*', origin: 'cli' });
        for (const row of store.audit.all()) console.log(JSON.stringify(row));
      } finally {
        store.close();
      }
      return 0;
    }
    const store = Store.open(profileDir);
    try {
      const result = store.audit.verify();
      if (result.ok) {
        console.log(`Audit journal intact: ${result.rows} rows, hash chain verified.`);
        return 0;
      }
      console.error(`Audit journal BROKEN at row ${result.firstBroken!.id}: ${result.firstBroken!.problem}. Rows before it are intact; keep this file for investigation.`);
      return 1;
    } finally {
      store.close();
    }
  },
};
export default command;
