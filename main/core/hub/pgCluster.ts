import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster on loopback, for tests and benches: its own folder, a free port,
 * its unix socket inside that folder. initdb refuses root, so as root the server runs as the
 * `postgres` user (Debian's package creates it). Nothing outside the folder is touched.
 */
export interface PgCluster {
  dir: string;
  port: number;
  /** postgres://… for the `vigie` database (trust auth on loopback). */
  url: string;
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again after stop(). */
  start(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

const CANDIDATE_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/local/pgsql/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/bin'];

/** Where initdb and pg_ctl are, or null (then PostgreSQL tests skip, saying so). */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.VIGIE_PG_BIN;
  for (const dir of fromEnv ? [fromEnv] : CANDIDATE_BIN_DIRS) {
    if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

export const NO_POSTGRES = 'PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "postgresql" (or set VIGIE_PG_BIN) to run the hub tests';

const asRoot = typeof process.geteuid === 'function' && process.geteuid() === 0;

/** Runs a PostgreSQL program, as `postgres` when we are root. */
export function pgRun(bin: string, program: string, args: string[], options: { timeout?: number } = {}): string {
  const full = path.join(bin, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: options.timeout ?? 60_000 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A folder the `postgres` user can write into (as root). */
export function makeOwnedDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  return dir;
}

/**
 * Fills `dir` with a fresh cluster: a copy of one initdb made once per machine and PostgreSQL build
 * (in the temporary folder). initdb spends seconds of wall time syncing its 40 MB to disk, once per
 * hub test file; a copy takes a fraction of that. The template is renamed into place whole, so a
 * Vitest worker never copies a half-made one, and the worker that loses the race drops its own.
 */
function initFromTemplate(bin: string, dir: string): void {
  const build = `${bin}:${fs.statSync(path.join(bin, 'initdb')).mtimeMs}`;
  const template = path.join(os.tmpdir(), `vigie-pg-template-${createHash('sha256').update(build).digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(path.join(template, 'PG_VERSION'))) {
    const fresh = makeOwnedDir('vigie-pg-making-');
    // No sync: the template is only ever copied, and a copy that a crash lost is made again.
    pgRun(bin, 'initdb', ['-D', fresh, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { timeout: 120_000 });
    try {
      fs.renameSync(fresh, template);
    } catch {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  }
  // -a keeps the postgres owner (as root) and the 0700 mode PostgreSQL insists on.
  execFileSync('cp', ['-a', `${template}/.`, dir]);
}

/** initdb (a copy of one) + start + CREATE DATABASE vigie. `extraConf`: lines added to postgresql.conf. */
export async function startPgCluster(options: { extraConf?: string[]; dataDir?: string; skipInit?: boolean } = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(NO_POSTGRES);
  const dir = options.dataDir ?? makeOwnedDir('vigie-pg-');
  const port = await freePort();
  if (!options.skipInit) initFromTemplate(bin, dir);
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    'fsync = on',
    'max_connections = 60',
    'shared_buffers = 32MB',
    ...(options.extraConf ?? []),
  ];
  fs.appendFileSync(path.join(dir, 'postgresql.conf'), `\n# vigie test cluster\n${conf.join('\n')}\n`);
  const start = () => pgRun(bin, 'pg_ctl', ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  const cluster: PgCluster = {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/vigie`,
    stop(mode = 'fast') {
      try {
        pgRun(bin, 'pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
    start,
    destroy() {
      cluster.stop('immediate');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!options.skipInit) {
    try {
      pgRun(bin, 'psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'CREATE DATABASE vigie']);
    } catch (error) {
      cluster.stop('immediate');
      throw error;
    }
  }
  return cluster;
}
