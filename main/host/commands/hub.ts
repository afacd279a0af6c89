import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Hub } from '../../core/hub/hubServer';
import { HubPgStore } from '../../core/hub/pgStore';
import { anchorFileText } from '../../core/audit/anchor';
import { addHubUser, addWorkstation } from '../../core/hub/credentials';
import { Role } from '../../../common/domain/roles';
import { keepProcessUp } from '../../core/net/guard';
import { parse } from '../args';
import { UsageError, type Command } from './command';
import { waitForSignal } from './serve';
import { configureLogging, log } from '../../core/log';

const OPTIONS = {
  pg: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  state: { type: 'string' },
  credentials: { type: 'string' },
  'no-demo': { type: 'boolean' },
  'secret-file': { type: 'string' },
  role: { type: 'string' },
  workstations: { type: 'string' },
  users: { type: 'string' },
  workstation: { type: 'string' },
  to: { type: 'string' },
} as const;

function defaultStateDir(): string {
  return path.join(os.homedir(), '.local', 'share', 'vigie', 'hub');
}

const command: Command = {
  name: 'hub',
  summary: 'Run the hub of a control room: one PostgreSQL store, feeds ingested once, every workstation in step',
  subcommands: ['add-workstation'],
  usage: `vigie hub --pg postgres://USER@HOST/DB [--port N] [--host H] [--state DIR] [--credentials FILE] [--no-demo]
vigie hub add-workstation ID [--users NAME[,NAME…]] [--credentials FILE] [--secret-file FILE]
vigie hub add-user NAME --role ROLE --workstations ID[,ID…] [--credentials FILE]
vigie hub anchors --pg URL --workstation ID [--to FILE]

  --pg URL           the PostgreSQL database (created tables: hub_schema, hub_log, hub_rejections)
  --port N           port workstations connect to (default 7480; 0: any free port)
  --host H           address to bind (default 127.0.0.1; a control room sets the hub's LAN address)
  --state DIR        config.json (the feeds the hub ingests) and its working cache, rebuilt from
                     PostgreSQL at each start (default ${defaultStateDir()})
  --credentials FILE the workstations allowed to connect (default <state>/hub-credentials.json)
  --no-demo          do not run the simulated demo feed when no feed is configured

add-workstation writes a new secret for workstation ID: its hash goes to the credentials file, the
secret itself to --secret-file (mode 0600) or standard output, once. Give it to that workstation:
  vigie serve --hub ws://HUB:7480/hub --workstation ID --secret-file FILE

add-user gives NAME its role at the hub and lets those workstations act for them. The hub decides
every action's role from this file: a workstation claiming another user or role is refused, and
the refusal is kept under the real workstation (docs/security.md). Changes apply without a restart.

anchors writes the audit-journal heads workstation ID anchored at the hub (every seat does, by
default) as an anchor file (--to FILE, else standard output), for
  vigie audit verify --profile THAT-SEAT'S-PROFILE --anchor FILE
and lists on standard error what the hub found wrong with that journal (exit 1 when anything).

A second hub on the same database waits (standby) and takes over as soon as the first one dies;
see docs/hub.md.`,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const stateDir = path.resolve(values.state ?? defaultStateDir());
    const credentialsFile = path.resolve(values.credentials ?? path.join(stateDir, 'hub-credentials.json'));
    if (positionals[0] === 'add-workstation') {
      const id = positionals[1];
      if (!id) throw new UsageError('add-workstation needs the workstation id');
      const users = values.users?.split(',').map((u) => u.trim()).filter(Boolean);
      const secret = addWorkstation(credentialsFile, id, users);
      if (values['secret-file']) {
        fs.writeFileSync(values['secret-file'], `${secret}\n`, { mode: 0o600 });
        console.log(`Workstation ${id} added to ${credentialsFile}; its secret is in ${values['secret-file']}.`);
      } else {
        console.log(secret);
      }
      return 0;
    }
    if (positionals[0] === 'add-user') {
      const name = positionals[1];
      if (!name) throw new UsageError('add-user needs the user name');
      const role = Role.safeParse(values.role);
      if (!role.success) throw new UsageError(`--role ${values.role ?? '(missing)'}: expected one of ${Role.options.join(', ')}`);
      const workstations = (values.workstations ?? '').split(',').map((w) => w.trim()).filter(Boolean);
      if (workstations.length === 0) throw new UsageError('add-user needs --workstations ID[,ID…]: the seats that may act for this user');
      try {
        addHubUser(credentialsFile, name, role.data, workstations);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      console.log(`${name} is ${role.data} at the hub, from ${workstations.join(', ')} (${credentialsFile}).`);
      return 0;
    }
    if (positionals[0] === 'anchors') {
      if (!values.pg) throw new UsageError('anchors needs --pg postgres://… (the hub\'s database)');
      if (!values.workstation) throw new UsageError('anchors needs --workstation ID');
      const pg = await HubPgStore.open(values.pg);
      try {
        const { anchors, alerts } = await pg.anchorsOf(values.workstation);
        const text = anchorFileText(anchors.map((a) => ({ t: a.t.getTime(), journal: a.journal, id: a.id, hash: a.hash })));
        if (values.to) fs.writeFileSync(values.to, text);
        else process.stdout.write(text);
        for (const alert of alerts) console.error(`${alert.at.toISOString()} ${values.workstation}: ${alert.problem}`);
        console.error(`${anchors.length} anchors of ${values.workstation}${values.to ? ` written to ${values.to}` : ''}; ${alerts.length} problems found by the hub.`);
        return alerts.length > 0 ? 1 : 0;
      } finally {
        await pg.close();
      }
    }
    if (positionals.length > 0) throw new UsageError(`unknown argument "${positionals[0]}"`);
    if (!values.pg) throw new UsageError('--pg postgres://… is required');
    const port = values.port === undefined ? 7480 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535`);
    // The hub's lines go to its state folder (logs/hub.log); warnings and errors also to stderr.
    configureLogging({ dir: path.join(stateDir, 'logs'), name: 'hub' });
    const logger = log('hub');
    const fatal = (error: Error) => {
      logger.fatal({ err: error }, `Vigie hub stops: ${error.message}. Start it again: it rebuilds from PostgreSQL.`);
      process.exit(1);
    };
    keepProcessUp('hub');
    const hub = await Hub.start({
      pgUrl: values.pg,
      host: values.host ?? '127.0.0.1',
      port,
      stateDir,
      credentialsFile,
      demo: !values['no-demo'],
      ...(process.env.VIGIE_DEMO_INTERVAL_MS ? { demoIntervalMs: Number(process.env.VIGIE_DEMO_INTERVAL_MS) } : {}),
      onFatal: fatal,
      onStandby: () => {
        logger.info('standing by: another hub is active on this database');
        console.log('Another hub is active on this database: standing by until it stops.');
      },
    });
    console.log(`Vigie hub listening on ${hub.url}${hub.core.demoRunning ? ' (demo feed: simulated incidents)' : ''}`);
    await waitForSignal();
    console.log('Stopping the hub…');
    await hub.close();
    return 0;
  },
};
export default command;
