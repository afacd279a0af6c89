import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, roleFor } from './policy';
import { tempDir } from '../../../test/helpers';

describe('the role policy IT deploys', () => {
  it('maps users to roles, with an optional default for everyone else', () => {
    const dir = tempDir();
    expect(loadPolicy(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ version: 1, users: { jdupont: 'supervisor', amartin: 'operator' } }));
    const policy = loadPolicy(dir)!;
    expect(roleFor(policy, 'amartin')).toBe('operator');
    expect(() => roleFor(policy, 'intrus')).toThrow(/User "intrus" has no role in .*policy\.json; ask IT/);
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ version: 1, users: {}, defaultRole: 'operator' }));
    expect(roleFor(loadPolicy(dir)!, 'intrus')).toBe('operator');
  });

  it('refuses a broken file with the field at fault, never falling back silently', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ version: 1, users: { jdupont: 'chief' } }));
    expect(() => loadPolicy(dir)).toThrow(/policy\.json is not valid: users\.jdupont: .*Roles are operator, supervisor/);
    fs.writeFileSync(path.join(dir, 'policy.json'), '{ not json');
    expect(() => loadPolicy(dir)).toThrow(/cannot be read/);
    expect(() => loadPolicy(dir, path.join(dir, 'missing.json'))).toThrow(/cannot be read/);
  });
});
