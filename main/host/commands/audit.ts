import os from 'node:os';
import path from 'node:path';
import { Store } from '../../core/store';
import { loadPolicy } from '../../core/policy/policy';
import { roleOf, roleSource } from '../../core/policy/roles';
import { loadMachinePolicy } from '../../core/policy/machinePolicy';
import { loadProfileConfig } from '../../core/config';
import { appendAnchor, checkAnchors, readAnchors } from '../../core/audit/anchor';
import { checkpointKey } from '../../core/audit/retention';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';
import { toCsv } from '../../../common/csv';

const command: Command = {
  name: 'audit',
  summary: 'Check the hash chain of the audit journal, or export it (auditor role)',
  subcommands: ['verify', 'anchor', 'export'],
  usage: `vigie audit verify --profile DIR [--anchor FILE]
vigie audit anchor --profile DIR [--to FILE]
vigie audit export --profile DIR [--policy FILE] [--csv]

  verify   walks the journal's hash chain; exit 0 when intact, 1 naming the first broken row.
           With anchors (--anchor FILE, else the audit.anchorFile of the machine policy or
           config.json), also proves that every anchored row is still there with its hash:
           the newest rows cannot be cut off unnoticed
  anchor   appends the journal's head (last row id and hash) to FILE (default: the configured
           anchor file) and prints it; keep it where this workstation's users cannot rewrite it
  export   prints every row as JSON lines (--csv: as CSV for a spreadsheet), oldest first; only for a user the role policy makes
           auditor (the OS user running the command), and the export is itself journaled`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, policy: { type: 'string' }, anchor: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const [what] = positionals;
    if (what !== 'verify' && what !== 'export' && what !== 'anchor') throw new UsageError(what ? `unknown action "${what}"; known: verify, anchor, export` : 'say what to do: verify, anchor or export');
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    const anchorFile = values.anchor ?? values.to ?? configuredAnchorFile(profileDir);
    if (what === 'anchor') {
      if (!anchorFile) throw new UsageError('say where to anchor: --to FILE (no audit.anchorFile in the machine policy or config.json)');
      const store = Store.open(profileDir);
      try {
        const written = appendAnchor(anchorFile, store.audit);
        const newest = written ?? readAnchors(anchorFile).anchors.at(-1);
        if (!newest) {
          console.log('The audit journal is empty: nothing to anchor yet.');
          return 0;
        }
        console.log(JSON.stringify(newest));
        console.error(written ? `Anchored row ${newest.head.id} in ${anchorFile}.` : `Row ${newest.head.id} was already the newest anchor in ${anchorFile}.`);
      } finally {
        store.close();
      }
      return 0;
    }
    if (what === 'export') {
      const user = os.userInfo().username;
      let rolePolicy;
      try {
        rolePolicy = loadPolicy(profileDir, values.policy);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const machine = loadMachinePolicy();
      const source = roleSource(machine, rolePolicy);
      // The same answer the app gives (roleOf); a single desk has nobody designated auditor.
      if (!source) throw new UsageError(`export needs a deployed policy that makes you (${user}) auditor: the machine policy's roles or a role policy file; none found (see --policy).`);
      const answer = roleOf(user, machine, rolePolicy, 'supervisor');
      if (answer.role !== 'auditor') {
        console.error(`vigie audit export: refused: ${answer.role ? `${user} is ${answer.role} in ${source}` : answer.why}; exporting the journal is for the auditor role only.`);
        return 4;
      }
      const role = answer.role;
      const store = Store.open(profileDir);
      try {
        store.audit.append({ t: Date.now(), user, role, kind: 'consultation', action: 'audit.export', target: '*', origin: 'cli' });
        if (values.csv) {
          // For a spreadsheet: targets and reasons are typed by people, so formula-like cells are kept as text (common/csv.ts).
          const columns = ['id', 't', 'user', 'role', 'kind', 'action', 'target', 'reason', 'origin', 'hash'] as const;
          process.stdout.write(toCsv(columns, store.audit.all().map((row) => columns.map((c) => (c === 't' ? new Date(row.t).toISOString() : row[c])))));
        } else for (const row of store.audit.all()) console.log(JSON.stringify(row));
      } finally {
        store.close();
      }
      return 0;
    }
    const store = Store.open(profileDir);
    try {
      const result = store.audit.verify(checkpointKey(configuredKeyFile(profileDir)));
      if (!result.ok) {
        console.error(`Audit journal BROKEN at row ${result.firstBroken!.id}: ${result.firstBroken!.problem}. Rows before it are intact; keep this file for investigation.`);
        return 1;
      }
      const purged = result.purged ? ` (rows 1–${result.purged.upTo} purged by retention on ${new Date(result.purged.at).toISOString()}, through a signed checkpoint that verifies)` : '';
      if (!anchorFile) {
        console.log(`Audit journal intact: ${result.rows} rows, hash chain verified${purged}.`);
        // Intact proves no row was changed between rows; without an anchor, the newest rows could be cut off.
        console.log(
          'NOT ANCHORED: whoever can write this profile could cut off the newest rows and this check would not notice. ' +
            'Anchor it: join a hub (it anchors there by default), set audit.anchorFile in the machine policy, ' +
            'or run `vigie audit anchor --to FILE` onto a share this workstation cannot rewrite, then `vigie audit verify --anchor FILE`.',
        );
        return 0;
      }
      const read = readAnchors(anchorFile);
      if (read.problem) {
        console.error(`Audit anchors BROKEN: ${read.problem}. The journal's own chain is intact (${result.rows} rows).`);
        return 1;
      }
      const anchored = checkAnchors(store.audit, read.anchors);
      if (!anchored.ok) {
        console.error(`Audit journal BROKEN against its anchors in ${anchorFile}: ${anchored.problem}.`);
        return 1;
      }
      const newest = anchored.newest ? `; ${anchored.anchors} anchors, the newest (${new Date(anchored.newest.t).toISOString()}) at row ${anchored.newest.id}` : `; no anchor of it in ${anchorFile} yet`;
      console.log(`Audit journal intact: ${result.rows} rows, hash chain verified${purged}${newest}.`);
      return 0;
    } finally {
      store.close();
    }
  },
};
/** The journal checkpoint key file: the machine policy's, else config.json's, else the default in the profile. */
function configuredKeyFile(profileDir: string): string {
  const policy = loadMachinePolicy();
  const configured = (policy.status === 'applied' ? policy.policy.journal : undefined) ?? loadProfileConfig(profileDir).journal;
  return path.resolve(profileDir, configured?.checkpointKeyFile ?? 'audit-checkpoint.key');
}

/** The anchor file IT set in the machine policy, else the profile's config.json, else none. */
function configuredAnchorFile(profileDir: string): string | undefined {
  const policy = loadMachinePolicy();
  const configured = (policy.status === 'applied' ? policy.policy.audit : undefined) ?? loadProfileConfig(profileDir).audit;
  return configured ? path.resolve(profileDir, configured.anchorFile) : undefined;
}

export default command;
