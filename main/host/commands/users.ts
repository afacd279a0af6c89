import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../../common/domain/roles';
import { loadLogins, loginsPath, removeLogin, setLogin } from '../logins';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'users',
  summary: 'Per-person logins for browser mode: add, reset, remove or list the people who log in',
  usage: `vigie users add NAME --role ROLE [--profile DIR] [--password-stdin]
vigie users reset NAME [--profile DIR] [--password-stdin]
vigie users remove NAME [--profile DIR]
vigie users list [--profile DIR]

  add      gives NAME a login with ROLE (operator, supervisor, trainer, auditor, admin) and prints
           a new password once (or takes it from standard input with --password-stdin, at least
           12 characters). Only its scrypt hash is kept, in <profile>/logins.json (mode 0600)
  reset    a new password for NAME (same role)
  remove   NAME can no longer log in (sessions already open end when the server restarts)
  list     the people and their roles

Once logins.json names someone, \`vigie serve\` on that profile asks everyone to log in at
http://HOST:PORT/login; each session is its person's own, and the journal names them. Roles IT
deployed in the machine policy or a role policy file still win. See docs/security.md.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const [action, name] = positionals;
    const file = loginsPath(path.resolve(values.profile ?? defaultProfileDir()));
    const password = () => (values['password-stdin'] ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined);
    const logins = () => {
      try {
        return loadLogins(file);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    };
    if (action === 'list') {
      const users = Object.entries(logins()?.users ?? {});
      if (users.length === 0) console.log(`No logins in ${file}: browser mode runs as the OS user.`);
      for (const [user, { role }] of users) console.log(`${user}\t${role}`);
      return 0;
    }
    if (action !== 'add' && action !== 'reset' && action !== 'remove') throw new UsageError(action ? `unknown action "${action}"; known: add, reset, remove, list` : 'say what to do: add, reset, remove or list');
    if (!name) throw new UsageError(`${action} needs the user name`);
    if (action === 'remove') {
      if (!removeLogin(file, name)) throw new UsageError(`no login "${name}" in ${file}`);
      console.log(`${name} can no longer log in.`);
      return 0;
    }
    let role: Role;
    if (action === 'reset') {
      const current = logins()?.users[name];
      if (!current || !Object.hasOwn(logins()!.users, name)) throw new UsageError(`no login "${name}" in ${file}: add it with \`vigie users add ${name} --role ROLE\``);
      role = current.role;
    } else {
      const parsed = Role.safeParse(values.role);
      if (!parsed.success) throw new UsageError(`--role ${values.role ?? '(missing)'}: expected one of ${Role.options.join(', ')}`);
      role = parsed.data;
    }
    let given: string;
    try {
      given = setLogin(file, name, role, password());
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    console.log(`${name} (${role}) ${action === 'add' ? 'can log in' : 'has a new password'}; logins in ${file}.`);
    if (!values['password-stdin']) console.log(`Password (shown once, give it to ${name} in person): ${given}`);
    return 0;
  },
};
export default command;
