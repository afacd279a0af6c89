import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningVigie {
  url: string;
  profileDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The `vigie` command for specs (`execFileSync(process.execPath, [vigieCli, 'import', …])`): the
 * built CLI bundle when it is newer than its sources, else the sources through tsx (test/vigie.mjs
 * says why). The renderer is served from dist/ either way.
 */
export const vigieCli = path.join(root, 'test', 'vigie.mjs');

/** Starts `vigie serve` exactly as a user would, on a temporary profile, and waits for its URL. */
export async function startVigie(options: { config?: unknown; args?: string[]; profileDir?: string; env?: Record<string, string> } = {}): Promise<RunningVigie> {
  const profileDir = options.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  if (options.config) fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify(options.config, null, 2));
  const child = spawn(process.execPath, [vigieCli, 'serve', '--profile', profileDir, ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie serve did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Vigie listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`vigie serve exited with ${code}:\n${output}`)));
  });
  return {
    url,
    profileDir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
