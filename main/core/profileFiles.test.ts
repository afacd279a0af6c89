import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigieCore } from './core';
import { Store } from './store';
import { tempDir } from '../../test/helpers';

/** Permissions as coreutils' stat prints them (octal), not as we compute them. */
const mode = (file: string) => execFileSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).trim();

describe.skipIf(process.platform === 'win32')('a profile is readable by its owner only', () => {
  it('creates the folder 0700 and the cache and secrets 0600', async () => {
    const profile = path.join(tempDir(), 'profile');
    const core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile: path.join(profile, 'no-policy.json') });
    try {
      core.store.audit.append({ t: Date.now(), user: 'a', role: 'operator', kind: 'consultation', action: 'incidents.search', target: 'x', origin: 'test' });
      fs.mkdirSync(path.join(profile, 'secrets'), { recursive: true });
    } finally {
      await core.close();
    }
    expect(mode(profile)).toBe('700');
    expect(mode(path.join(profile, 'vigie.sqlite'))).toBe('600');
  });

  it('tightens a profile made before (folder 0755, database 0644, a key 0644) at the next start', () => {
    const profile = tempDir();
    Store.open(profile).close();
    fs.mkdirSync(path.join(profile, 'secrets'));
    fs.writeFileSync(path.join(profile, 'secrets', 'pseudonym.key'), 'k'.repeat(32));
    fs.chmodSync(profile, 0o755);
    fs.chmodSync(path.join(profile, 'secrets'), 0o755);
    fs.chmodSync(path.join(profile, 'vigie.sqlite'), 0o644);
    fs.chmodSync(path.join(profile, 'secrets', 'pseudonym.key'), 0o644);
    const store = Store.open(profile);
    try {
      store.audit.append({ t: Date.now(), user: 'a', role: 'operator', kind: 'consultation', action: 'incidents.search', target: 'x', origin: 'test' });
      expect(mode(profile)).toBe('700');
      expect(mode(path.join(profile, 'vigie.sqlite'))).toBe('600');
      // SQLite gives its WAL the database file's mode.
      if (fs.existsSync(path.join(profile, 'vigie.sqlite-wal'))) expect(mode(path.join(profile, 'vigie.sqlite-wal'))).toBe('600');
      expect(mode(path.join(profile, 'secrets'))).toBe('700');
      expect(mode(path.join(profile, 'secrets', 'pseudonym.key'))).toBe('600');
    } finally {
      store.close();
    }
  });
});
