import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';

const bin = path.resolve(__dirname, '../../test/vigie.mjs');

/** Runs `vigie serve` until it listens (then stops it) or exits; returns what it said. */
function serveOnce(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; url: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'serve', '--no-demo', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Vigie listening on /.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, url: /Vigie listening on (\S+)/.exec(out)?.[1] ?? null });
    });
  });
}

describe('browser-mode identity and token on the command line', () => {
  it('runs as the OS user: --user naming someone else is refused unless IT’s policy allows it', async () => {
    const profile = tempDir();
    const refused = await serveOnce(['--profile', profile, '--user', 'sup1']);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain(`--user sup1: browser mode runs as the OS user (${os.userInfo().username})`);
    fs.writeFileSync(path.join(profile, 'policy.json'), JSON.stringify({ version: 1, users: { sup1: 'supervisor' }, allowUserFlag: true }));
    const allowed = await serveOnce(['--profile', profile, '--user', 'sup1']);
    expect(allowed.url).toMatch(/\/\?token=/);
  }, 120_000);

  it('takes the token from VIGIE_TOKEN or a 0600 file, and warns that --token shows in ps', async () => {
    const profile = tempDir();
    const fromEnv = await serveOnce(['--profile', profile], { VIGIE_TOKEN: 'env-token-0123456789abcdef' });
    expect(fromEnv.url).toMatch(/\?token=env-token-0123456789abcdef$/);
    const file = path.join(tempDir(), 'token');
    fs.writeFileSync(file, 'file-token-0123456789abcdef\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const open = await serveOnce(['--profile', profile, '--token-file', file]);
    expect(open.code).toBe(2);
    expect(open.out).toContain('can be read by other users (mode 644): run `chmod 600');
    fs.chmodSync(file, 0o600);
    expect((await serveOnce(['--profile', profile, '--token-file', file])).url).toMatch(/\?token=file-token-0123456789abcdef$/);
    const flag = await serveOnce(['--profile', profile, '--token', 'flag-token-0123456789abcdef']);
    expect(flag.url).toMatch(/\?token=flag-token-0123456789abcdef$/);
    expect(flag.out).toContain('Warning: --token shows in the process list (`ps`)');
  }, 180_000);
});
