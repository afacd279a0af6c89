import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { addWorkstation, loadHubCredentials, verifyWorkstation } from './credentials';

const dir = tempDir('vigie-10-cred-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hub credentials (one secret per workstation, only its hash at the hub)', () => {
  it('knows a workstation by its secret, and nobody else', async () => {
    const file = path.join(dir, 'a', 'hub-credentials.json');
    const secret = addWorkstation(file, 'poste-1');
    const other = addWorkstation(file, 'poste-2');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(secret);
    const creds = loadHubCredentials(file);
    expect(await verifyWorkstation(creds, 'poste-1', secret)).toBe(true);
    expect(await verifyWorkstation(creds, 'poste-1', other)).toBe(false);
    expect(await verifyWorkstation(creds, 'poste-1', '')).toBe(false);
    expect(await verifyWorkstation(creds, 'poste-3', secret)).toBe(false);
    expect(await verifyWorkstation(creds, '__proto__', secret)).toBe(false);
    // A new secret replaces the old one.
    const renewed = addWorkstation(file, 'poste-1');
    expect(await verifyWorkstation(loadHubCredentials(file), 'poste-1', secret)).toBe(false);
    expect(await verifyWorkstation(loadHubCredentials(file), 'poste-1', renewed)).toBe(true);
  });

  it('refuses a broken file with the field at fault, and a missing one with what to do', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, workstations: { 'poste 1': { hash: 'x' } } }));
    expect(() => loadHubCredentials(file)).toThrow(/workstations\.poste 1/);
    fs.writeFileSync(file, '{');
    expect(() => loadHubCredentials(file)).toThrow(/not valid JSON/);
    expect(() => loadHubCredentials(path.join(dir, 'none.json'))).toThrow(/vigie hub add-workstation/);
    expect(() => addWorkstation(path.join(dir, 'c.json'), 'bad id!')).toThrow(/letters, digits/);
  });
});
