import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieCore } from '../core/core';
import { serve, type RunningServer } from './websocket';
import { loadLogins, loginsPath, setLogin } from './logins';
import { tempDir } from '../../test/helpers';
import { clientOver, connect } from '../../test/browserClient';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

/**
 * Per-person logins in browser mode: several people open one server from their own browsers, each
 * logs in with their own password, and the journal names who did what. Real server, real HTTP and
 * WebSocket on loopback.
 */
let core: VigieCore;
let server: RunningServer;
let profileDir: string;
let origin: string;

beforeAll(async () => {
  profileDir = tempDir();
  const rendererDir = tempDir('vigie-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
  setLogin(loginsPath(profileDir), 'jdupont', 'supervisor', 'correct horse battery');
  setLogin(loginsPath(profileDir), 'amartin', 'operator', 'staple of the river');
  core = new VigieCore(profileDir, { profileDir, demo: false, policyFile: path.join(profileDir, 'no-machine-policy.json') });
  server = await serve(core, { host: '127.0.0.1', port: 0, rendererDir, role: 'supervisor', loginsFile: loginsPath(profileDir) });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await core?.close();
});

const post = (user: string, password: string, from = origin) =>
  fetch(`${origin}/login`, { method: 'POST', redirect: 'manual', headers: { origin: from, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user, password }).toString() });

async function logIn(user: string, password: string) {
  const res = await post(user, password);
  expect(res.status).toBe(303);
  const token = new URL(res.headers.get('location')!, origin).searchParams.get('token')!;
  return { token, client: clientOver(await connect(server.port, token, origin)) };
}

describe('per-person logins in browser mode', () => {
  it('prints /login, serves a login form in French and English that may post only to itself', async () => {
    expect(server.url).toBe(`${origin}/login`);
    const res = await fetch(`${origin}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('Identifiant / User name');
    expect(html).toContain('Mot de passe / Password');
    expect(html).not.toContain('<script');
  });

  it('gives each person a session of their own, with their role, and the journal names them', async () => {
    const sup = await logIn('jdupont', 'correct horse battery');
    const op = await logIn('amartin', 'staple of the river');
    expect(sup.token).not.toBe(op.token);
    expect(await sup.client.call('session.whoami', {})).toMatchObject({ user: 'jdupont', role: 'supervisor' });
    expect(await op.client.call('session.whoami', {})).toMatchObject({ user: 'amartin', role: 'operator' });
    // The operator's session cannot reach past its role.
    await expect(op.client.call('audit.list', { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });
    const rows = await sup.client.call('audit.list', { limit: 50 });
    expect(rows.filter((r) => r.action === 'login').map((r) => [r.user, r.role])).toEqual(expect.arrayContaining([['jdupont', 'supervisor'], ['amartin', 'operator']]));
    // Reading the journal is itself journaled, under the person's name.
    const again = await sup.client.call('audit.list', { limit: 50 });
    expect(again.some((r) => r.action === 'audit.list' && r.user === 'jdupont' && r.role === 'supervisor')).toBe(true);
  });

  it('refuses a wrong password, a post from another site, the OS user token, and a made-up session', async () => {
    const wrong = await post('jdupont', 'not the password');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong user name or password');
    expect((await post('jdupont', 'correct horse battery', 'http://evil.example')).status).toBe(403);
    await expect(connect(server.port, server.token, origin)).rejects.toThrow(/HTTP 403/);
    await expect(connect(server.port, 'é'.repeat(43), origin)).rejects.toThrow(/HTTP 403/);
  });

  it('stops an address after 10 failed logins', async () => {
    for (let i = 0; i < 9; i++) await post('amartin', `guess ${i}`);
    const limited = await post('amartin', 'staple of the river');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many attempts');
  });
});

describe('vigie users', () => {
  it('adds a person with a password shown once and only its scrypt hash kept (0600), which Python reproduces', async () => {
    const profile = tempDir();
    const added = await vigie('users', 'add', 'cnil.audit', '--role', 'auditor', '--profile', profile);
    expect(added.code).toBe(0);
    const password = /Password \(shown once, give it to cnil\.audit in person\): (\S+)/.exec(added.stdout)![1]!;
    const file = loginsPath(profile);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(password);
    const [, salt, hash] = loadLogins(file)!.users['cnil.audit']!.hash.split('$') as [string, string, string];
    try {
      const python = execFileSync('python3', ['-c', 'import hashlib,base64,sys; print(base64.b64encode(hashlib.scrypt(sys.argv[1].encode(), salt=base64.b64decode(sys.argv[2]), n=16384, r=8, p=1, dklen=32)).decode())', password, salt], { encoding: 'utf8' }).trim();
      expect(python).toBe(hash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.warn('[skip] python3 not found: the password hash is not checked against an independent scrypt');
    }
    const help = await vigie('users', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('vigie users add NAME --role ROLE');
    const bad = await vigie('users', 'add', 'x', '--role', 'chief', '--profile', profile);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of operator');
  }, 60_000);
});
