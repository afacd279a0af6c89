import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { appRoot } from '../paths';
import { VigieCore } from '../core';
import type { CallContext } from '../rpc';
import type { HubSync } from './workstation';

/**
 * Pieces the hub tests and bench share: a real `vigie hub` process, in-process workstations
 * (a core and its hub link, as `vigie serve --hub` builds them), and a TCP relay that can be cut
 * like a network cable.
 */
export interface HubProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `until`: 'standby' returns once the hub says it waits for the active one (its url is then the one it will listen on). */
export async function startHubProcess(args: string[], env: Record<string, string> = {}, until: 'listening' | 'standby' = 'listening'): Promise<HubProcess> {
  const child = spawn(process.execPath, [path.join(appRoot(), 'bin', 'vigie.mjs'), 'hub', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Vigie hub listening on (\S+)/.exec(out);
      if (m || (until === 'standby' && /standing by/.test(out))) {
        clearTimeout(timer);
        resolve(m ? m[1]! : '');
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export interface Seat {
  core: VigieCore;
  sync: HubSync;
  ctx: CallContext;
  call<T = unknown>(method: string, params: Record<string, unknown>): T;
  close(): Promise<void>;
}

/** A workstation as `vigie serve --hub` builds it, without the HTTP side. */
export function startSeat(profileDir: string, options: { urls: string[]; workstation: string; secret: string; user: string }): Seat {
  fs.mkdirSync(profileDir, { recursive: true });
  const hub = { urls: options.urls, workstation: options.workstation, secret: options.secret, maxRetryMs: 500, anchorEveryMs: 500 };
  const core = new VigieCore(profileDir, { profileDir, demo: false, followUnitFeeds: false, policyFile: path.join(profileDir, 'no-machine-policy.json'), hub });
  const sync = core.sync!;
  core.start();
  const ctx: CallContext = { user: options.user, role: 'supervisor', origin: `test:${options.workstation}` };
  return {
    core,
    sync,
    ctx,
    call: <T>(method: string, params: Record<string, unknown>) => (core.api as unknown as Record<string, (p: unknown, c: CallContext) => T>)[method]!(params, ctx),
    async close() {
      await core.close();
    },
  };
}

/** A TCP relay in front of a hub: cut() drops every connection and refuses new ones until mend(). */
export interface Cable {
  url: string;
  cut(): void;
  mend(): void;
  retarget(port: number): void;
  /** Stops reading what the hub sends (a seat too slow to keep up), or starts again. */
  stall(stalled: boolean): void;
  close(): Promise<void>;
}

export async function startCable(targetPort: number): Promise<Cable> {
  let target = targetPort;
  let cut = false;
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const upstreams = new Map<net.Socket, net.Socket>();
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    upstreams.set(upstream, client);
    client.pipe(upstream);
    if (!stalled) upstream.pipe(client);
    else upstream.pause();
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      upstreams.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/hub`,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    mend() {
      cut = false;
    },
    retarget(p) {
      target = p;
    },
    stall(s) {
      stalled = s;
      for (const [u, client] of upstreams) {
        if (s) {
          u.unpipe(client);
          u.pause();
        } else {
          u.pipe(client);
          u.resume();
        }
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
