import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
const me = os.userInfo().username;

function write(file: string, json: unknown): string {
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('one answer to "what may this person do" (machine policy, then role policy file, then single desk)', () => {
  const cores: VigieCore[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });
  const coreWith = (machine: unknown, roleFile: unknown) => {
    const profileDir = tempDir();
    const policyFile = machine ? write(path.join(profileDir, 'machine.json'), machine) : path.join(profileDir, 'absent.json');
    if (roleFile) write(path.join(profileDir, 'policy.json'), roleFile);
    const core = new VigieCore(profileDir, { profileDir, policyFile, demo: false });
    cores.push(core);
    return core;
  };

  it('a single desk gives the person at it the fallback role', () => {
    expect(coreWith(null, null).roleAnswer('anyone', 'supervisor')).toEqual({ role: 'supervisor', from: 'single-desk' });
  });

  it("the role policy file decides when the machine policy has no roles; its unknown people are refused", () => {
    const core = coreWith({ retention: { maxDays: 30 } }, { version: 1, users: { jdupont: 'operator' } });
    expect(core.roleAnswer('jdupont', 'supervisor')).toEqual({ role: 'operator', from: 'role-policy' });
    expect(core.roleAnswer('intrus', 'supervisor')).toMatchObject({ role: null, why: expect.stringMatching(/User "intrus" has no role in .*policy\.json; ask IT/) });
  });

  it("the machine policy's roles win over the role policy file, person by person and for the default", () => {
    const core = coreWith({ roles: { users: { jdupont: 'auditor' } } }, { version: 1, users: { jdupont: 'operator', amartin: 'supervisor' }, defaultRole: 'operator' });
    expect(core.roleAnswer('jdupont', 'supervisor')).toEqual({ role: 'auditor', from: 'machine-policy' });
    // Known to the role file only: IT's machine policy has no default, so they are refused.
    expect(core.roleAnswer('amartin', 'supervisor')).toMatchObject({ role: null, why: expect.stringContaining('has no role in the machine policy') });
  });

  it('a broken role policy file stops the service with the file and field named', () => {
    const profileDir = tempDir();
    write(path.join(profileDir, 'policy.json'), { version: 1, users: { jdupont: 'chief' } });
    expect(() => new VigieCore(profileDir, { profileDir, policyFile: path.join(profileDir, 'absent.json'), demo: false })).toThrow(/policy\.json is not valid: users\.jdupont/);
  });

  it('`vigie audit export` follows the machine policy too', async () => {
    const profileDir = tempDir();
    const store = Store.open(profileDir);
    store.audit.append({ t: 1, user: 'jdupont', role: 'supervisor', kind: 'action', action: 'incident.close', target: 'city:1', origin: 'test' });
    store.close();
    const env = (machine: unknown) => ({ ...process.env, VIGIE_POLICY_FILE: write(path.join(tempDir(), 'machine.json'), machine) });
    const exported = await run(process.execPath, [bin, 'audit', 'export', '--profile', profileDir], { encoding: 'utf8', env: env({ roles: { users: { [me]: 'auditor' } } }) });
    expect(exported.stdout.trim().split('\n').map((l) => JSON.parse(l).action)).toEqual(['incident.close', 'audit.export']);
    const refused = await run(process.execPath, [bin, 'audit', 'export', '--profile', profileDir], { encoding: 'utf8', env: env({ roles: { users: { [me]: 'supervisor' } } }) }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 4, stderr: expect.stringContaining(`${me} is supervisor in the machine policy`) });
  });
});
