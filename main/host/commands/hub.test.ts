import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { loadHubCredentials, verifyWorkstation } from '../../core/hub/credentials';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' }).then(
  (r) => ({ code: 0, ...r }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);
const dir = tempDir('vigie-10-hubcli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vigie hub (command line)', () => {
  it('adds a workstation: the secret to its file (0600), only its hash to the credentials', async () => {
    const state = path.join(dir, 'hub');
    const secretFile = path.join(dir, 'poste-1.secret');
    const r = await vigie('hub', 'add-workstation', 'poste-1', '--state', state, '--secret-file', secretFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Workstation poste-1 added to ${path.join(state, 'hub-credentials.json')}`);
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = fs.readFileSync(secretFile, 'utf8').trim();
    expect(await verifyWorkstation(loadHubCredentials(path.join(state, 'hub-credentials.json')), 'poste-1', secret)).toBe(true);
  });

  it('adds a user the hub knows, with the role the hub will hold them to and the seats that may act for them', async () => {
    const state = path.join(dir, 'hub');
    const ok = await vigie('hub', 'add-user', 'jdupont', '--role', 'supervisor', '--workstations', 'poste-1', '--state', state);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('jdupont is supervisor at the hub, from poste-1');
    const creds = loadHubCredentials(path.join(state, 'hub-credentials.json'));
    expect(creds.users).toEqual({ jdupont: 'supervisor' });
    expect(creds.workstations['poste-1']!.users).toEqual(['jdupont']);
    const unknownSeat = await vigie('hub', 'add-user', 'x', '--role', 'operator', '--workstations', 'poste-9', '--state', state);
    expect(unknownSeat.code).toBe(2);
    expect(unknownSeat.stderr).toContain('no workstation "poste-9"');
    const help = await vigie('hub', 'add-user', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('vigie hub add-user NAME --role ROLE --workstations');
  });

  it('says what is missing: the database, or the credentials, before listening', async () => {
    const noPg = await vigie('hub', '--state', path.join(dir, 'hub'));
    expect(noPg.code).toBe(2);
    expect(noPg.stderr).toContain('--pg postgres://… is required');
    const noCredentials = await vigie('hub', '--pg', 'postgres://127.0.0.1:1/none', '--state', path.join(dir, 'empty'));
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toMatch(/No hub credentials file at .*vigie hub add-workstation/);
  });

  it('vigie serve --hub needs the workstation and its secret', async () => {
    const r = await vigie('serve', '--profile', path.join(dir, 'p'), '--hub', 'ws://127.0.0.1:1/hub');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--hub needs --workstation ID');
    const bad = await vigie('serve', '--profile', path.join(dir, 'p'), '--hub', 'http://x', '--workstation', 'a', '--secret-file', 'f');
    expect(bad.stderr).toContain('expected ws://HOST:PORT/hub');
  });
});
