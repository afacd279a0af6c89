import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);

function journalOf(rows: number): string {
  const profile = tempDir();
  const store = Store.open(profile);
  for (let i = 1; i <= rows; i++) {
    store.audit.append({ t: 1_000 + i, user: 'jdupont', role: 'supervisor', kind: i % 2 ? 'action' : 'consultation', action: 'incident.close', target: `city:${i}`, reason: 'done', origin: 'test' });
  }
  store.close();
  return profile;
}

/** What someone with write access to the file, bypassing Vigie, might do. */
function tamper(profile: string, sql: string): void {
  const db = new Database(path.join(profile, 'vigie.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('the hash-chained audit journal', () => {
  it('refuses updates and deletes through SQL', () => {
    const store = Store.open(journalOf(3));
    expect(() => store.db.exec("UPDATE audit SET reason = 'x' WHERE id = 2")).toThrow(/append-only/);
    expect(() => store.db.exec('DELETE FROM audit WHERE id = 2')).toThrow(/append-only/);
    expect(store.audit.verify()).toEqual({ ok: true, rows: 3 });
    store.close();
  });

  it('`vigie audit verify` proves an intact chain', async () => {
    const result = await vigie('audit', 'verify', '--profile', journalOf(5));
    expect(result).toMatchObject({ stdout: expect.stringMatching(/^Audit journal intact: 5 rows, hash chain verified\.\n/) });
    // A single desk says plainly that it is not anchored, and how to anchor it.
    expect(result.stdout).toContain('NOT ANCHORED: whoever can write this profile could cut off the newest rows');
    expect(result.stdout).toContain('vigie audit anchor --to FILE');
  });

  it('`vigie audit verify` fails and names the row whose content was changed', async () => {
    const profile = journalOf(5);
    tamper(profile, "UPDATE audit SET reason = 'nothing to see' WHERE id = 3");
    const result = await vigie('audit', 'verify', '--profile', profile);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('BROKEN at row 3: its content does not match its hash') });
  });

  it('names the row after a deleted one, and a rehashed row breaks the link of the next', async () => {
    const deleted = journalOf(5);
    tamper(deleted, 'DELETE FROM audit WHERE id = 2');
    expect(await vigie('audit', 'verify', '--profile', deleted)).toMatchObject({ code: 1, stderr: expect.stringContaining('BROKEN at row 3: row 2 missing') });

    const rehashed = journalOf(5);
    const store = Store.open(rehashed);
    const { rowHash } = await import('./journal');
    const row = store.db.prepare('SELECT * FROM audit WHERE id = 2').get() as Parameters<typeof rowHash>[1] & { prev_hash: string };
    const forged = rowHash(row.prev_hash, { ...row, user: 'someone.else' });
    store.close();
    tamper(rehashed, `UPDATE audit SET user = 'someone.else', hash = '${forged}' WHERE id = 2`);
    expect(await vigie('audit', 'verify', '--profile', rehashed)).toMatchObject({ code: 1, stderr: expect.stringContaining('BROKEN at row 3: its link to the previous row does not match') });
  });

  it('`vigie audit export` is for the auditor role only, and is itself journaled', async () => {
    const profile = journalOf(2);
    const me = os.userInfo().username;
    fs.writeFileSync(path.join(profile, 'policy.json'), JSON.stringify({ version: 1, users: { [me]: 'supervisor' } }));
    expect(await vigie('audit', 'export', '--profile', profile)).toMatchObject({ code: 4, stderr: expect.stringContaining('for the auditor role only') });
    fs.writeFileSync(path.join(profile, 'policy.json'), JSON.stringify({ version: 1, users: { [me]: 'auditor' } }));
    const exported = (await vigie('audit', 'export', '--profile', profile)) as { stdout: string };
    const rows = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.action)).toEqual(['incident.close', 'incident.close', 'audit.export']);
    expect(rows[2]).toMatchObject({ user: me, role: 'auditor', kind: 'consultation' });
    expect(await vigie('audit', 'verify', '--profile', profile)).toMatchObject({ stdout: expect.stringContaining('intact: 3 rows') });
  });
});
