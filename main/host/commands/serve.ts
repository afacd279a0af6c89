import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../../../common/domain/roles';
import { VigieCore } from '../../core/core';
import { appRoot } from '../../core/paths';
import { PolicyError } from '../../core/policy/policy';
import { roleSource } from '../../core/policy/roles';
import { serve } from '../websocket';
import { keepProcessUp } from '../../core/net/guard';
import { loadLogins, loginsPath } from '../logins';
import { hubLinkFromConfig, type WorkstationOptions } from '../../core/hub/workstation';
import { loadProfileConfig } from '../../core/config';
import { readSandbox } from '../../core/training/sandbox';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';
import { configureLogging } from '../../core/log';

export const SERVE_OPTIONS = {
  profile: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'no-demo': { type: 'boolean' },
  role: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  user: { type: 'string' },
  policy: { type: 'string' },
  hub: { type: 'string' },
  workstation: { type: 'string' },
  'secret-file': { type: 'string' },
} as const;

export interface ServeArgs {
  profile?: string;
  port?: string;
  host?: string;
  'no-demo'?: boolean;
  role?: string;
  token?: string;
  'token-file'?: string;
  user?: string;
  policy?: string;
  hub?: string;
  workstation?: string;
  'secret-file'?: string;
}

/** The built renderer; built on the spot in a development checkout that has not run `npm run build`. */
export async function ensureRenderer(): Promise<string> {
  const dir = path.join(appRoot(), 'dist', 'renderer');
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  console.error('The renderer is not built yet: building it now (once; `npm run build` does it ahead of time)…');
  // vite is a devDependency: a copy installed with --omit=dev and never built cannot do this.
  const { build } = await import('vite').catch(() => {
    throw new Error('the renderer is not built and vite (a devDependency) is not installed here: run `npm ci && npm run build`, or install a release.');
  });
  await build({ configFile: path.join(appRoot(), 'vite.config.ts'), logLevel: 'warn' });
  return dir;
}

/** Starts the data service and the browser-mode server; resolves once listening. */
export async function startServer(values: ServeArgs) {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535`);
  const profileDir = path.resolve(values.profile ?? defaultProfileDir());
  const token = tokenFrom(values);
  const hubLink = hubOptions(values);
  const rendererDir = await ensureRenderer();
  configureLogging({ dir: path.join(profileDir, 'logs'), name: 'service' });
  // The hub link is decided before the core is composed: its shared actions are wrapped there (core.ts).
  const link = hubLink ?? hubLinkFromConfig({ config: loadProfileConfig(profileDir), profileDir });
  if (link && readSandbox(profileDir)) throw new UsageError('a training sandbox never joins a hub: nothing done in training may reach the live control room');
  let core: VigieCore;
  try {
    // A workstation of a hub takes its feeds from the hub: no demo of its own, and units move forward once, at the hub.
    core = new VigieCore(profileDir, {
      profileDir,
      demo: !values['no-demo'] && !hubLink,
      ...(hubLink ? { followUnitFeeds: false } : {}),
      ...(values.policy ? { rolePolicyFile: values.policy } : {}),
      ...(process.env.VIGIE_DEMO_INTERVAL_MS ? { demoIntervalMs: Number(process.env.VIGIE_DEMO_INTERVAL_MS) } : {}),
      ...(link ? { hub: link } : {}),
    });
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
  let role: Role;
  let user: string;
  try {
    user = userFrom(core, values);
    role = resolveRole(core, user, values);
  } catch (error) {
    await core.close();
    throw error;
  }
  // People log in one by one once the profile has logins (`vigie users add`); else the OS user's token.
  let loginsFile: string | undefined;
  try {
    loginsFile = Object.keys(loadLogins(loginsPath(profileDir))?.users ?? {}).length > 0 ? loginsPath(profileDir) : undefined;
  } catch (error) {
    await core.close();
    throw new UsageError((error as Error).message);
  }
  const server = await serve(core, { host: values.host ?? '127.0.0.1', port, rendererDir, role, user, ...(token ? { token } : {}), ...(loginsFile ? { loginsFile } : {}) });
  core.start();
  return { core, server, profileDir };
}

/**
 * The browser-mode token: $VIGIE_TOKEN, else a 0600 --token-file, else --token (which every
 * local user sees in `ps`, hence the warning), else a fresh random one.
 */
function tokenFrom(values: ServeArgs): string | undefined {
  if (values.token) {
    console.error('Warning: --token shows in the process list (`ps`) to every user of this machine; set VIGIE_TOKEN or use --token-file FILE (mode 0600) instead.');
    return values.token;
  }
  if (process.env.VIGIE_TOKEN) return process.env.VIGIE_TOKEN;
  const file = values['token-file'];
  if (!file) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new UsageError(`--token-file ${file}: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) throw new UsageError(`--token-file ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}): run \`chmod 600 ${file}\` first.`);
  const token = fs.readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new UsageError(`--token-file ${file}: the token must be at least 16 characters`);
  return token;
}

/**
 * Whose calls these are: the OS user that runs the server. `--user NAME` only where IT's policy
 * allows it (machine policy browserMode.allowUserFlag, or the role policy file's allowUserFlag):
 * otherwise anyone could start a server as the supervisor and be journaled as them.
 */
function userFrom(core: VigieCore, values: ServeArgs): string {
  const osUser = os.userInfo().username;
  if (values.user === undefined || values.user === osUser) return osUser;
  const machine = core.policy.status === 'applied' ? core.policy.policy.browserMode?.allowUserFlag : undefined;
  if (machine ?? core.rolePolicy?.allowUserFlag) return values.user;
  throw new UsageError(`--user ${values.user}: browser mode runs as the OS user (${osUser}); naming another person needs "allowUserFlag": true in IT's policy (machine policy browserMode, or the role policy file). See docs/security.md.`);
}

/** `--hub URL[,URL…] --workstation ID --secret-file F`: this server is a workstation of those hubs. */
function hubOptions(values: ServeArgs): WorkstationOptions | null {
  if (!values.hub) {
    if (values.workstation || values['secret-file']) throw new UsageError('--workstation and --secret-file go with --hub');
    return null;
  }
  const urls = values.hub.split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) if (!/^wss?:\/\//.test(u)) throw new UsageError(`--hub ${u}: expected ws://HOST:PORT/hub or wss://…`);
  if (!values.workstation) throw new UsageError('--hub needs --workstation ID (as registered with `vigie hub add-workstation`)');
  const secretFile = values['secret-file'] ?? process.env.VIGIE_HUB_SECRET_FILE;
  if (!secretFile) throw new UsageError('--hub needs --secret-file FILE (the secret `vigie hub add-workstation` wrote)');
  let secret: string;
  try {
    secret = fs.readFileSync(secretFile, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--secret-file ${secretFile}: ${(error as Error).message}`);
  }
  return { urls, workstation: values.workstation, secret };
}

/**
 * `--role` is for a single-desk install only: where IT deployed roles (machine policy or role policy
 * file), they decide, and a person they do not know is refused (core.roleAnswer).
 */
function resolveRole(core: VigieCore, user: string, values: ServeArgs): Role {
  const deployed = roleSource(core.policy, core.rolePolicy);
  if (deployed && values.role) throw new UsageError(`--role cannot be used: roles come from ${deployed} that IT deployed.`);
  const fallback = Role.safeParse(values.role ?? 'supervisor');
  if (!fallback.success) throw new UsageError(`--role ${values.role}: expected one of ${Role.options.join(', ')}`);
  const answer = core.roleAnswer(user, fallback.data);
  // The machine policy's unknown people get a server that refuses them with the reason (403), so
  // IT sees why; a role policy file's unknown people are refused at start, as before.
  if (!answer.role && answer.why && !(core.policy.status === 'applied' && core.policy.policy.roles)) throw new UsageError(answer.why);
  return answer.role ?? fallback.data;
}

const command: Command = {
  name: 'serve',
  summary: 'Run Vigie in browser mode: the data service plus the UI over HTTP on 127.0.0.1',
  usage: `vigie serve [--profile DIR] [--port N] [--host H] [--no-demo] [--user NAME] [--token-file F] [--policy FILE] [--role ROLE]
            [--hub URL[,URL…] --workstation ID --secret-file F]

  --profile DIR  the profile (SQLite cache + config.json); default: ${defaultProfileDir()}
  --port N       port to listen on (default: any free port)
  --host H       address to bind (default 127.0.0.1; anything else exposes the service to the network)
  --no-demo      do not start the simulated demo feed, even when no feed is configured
  --user NAME    whose access token the printed URL carries (default and only choice: the OS user,
                 unless IT's policy sets allowUserFlag); every call made with it is journaled as theirs
  --token-file F the access token, from a file of mode 0600 (or set VIGIE_TOKEN); default: a new
                 random one. --token T still works but shows in \`ps\` to every local user
  --policy FILE  the role policy IT deployed (default: $VIGIE_POLICY, else <profile>/policy.json);
                 it maps users to roles (format in main/core/policy/policy.ts)
  --role ROLE    with no policy file only: role of the person using this server (operator,
                 supervisor, trainer, auditor, admin, wall; default supervisor)
  --hub URL[,URL…]  a workstation of a control room: share the picture through these hubs (tried
                 in order; the next one when one cannot be reached); see docs/hub.md
  --workstation ID  this workstation's id at the hub
  --secret-file F   its secret (\`vigie hub add-workstation\` wrote it)

Open the printed URL (it carries the access token) in Chromium, Chrome, Firefox or Edge. When the
profile has per-person logins (\`vigie users add\`), the URL is /login instead and each person logs
in with their own password; the journal names them (docs/security.md).`,
  async run(argv) {
    const { values } = parse(argv, SERVE_OPTIONS);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    keepProcessUp('serve');
    const { core, server, profileDir } = await startServer(values);
    if (values.host && values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
      console.error(`Warning: listening on ${values.host}: anyone who can reach this address and has the token can see the data.`);
    }
    console.log(`Profile: ${profileDir}${core.demoRunning ? ' (demo feed: simulated incidents)' : ''}`);
    console.log(`Vigie listening on ${server.url}`);
    await waitForSignal();
    console.log('Stopping Vigie…');
    await server.close();
    await core.close();
    return 0;
  },
};
export default command;

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
