import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store';
import { VigieCore } from '../core';
import { rowHash } from './journal';
import { appendAnchor, readAnchors } from './anchor';
import { tempDir } from '../../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
const vigie = (...args: string[]) =>
  run(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, VIGIE_POLICY_FILE: path.join(tempDir(), 'none.json') } }).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

function append(profile: string, from: number, to: number, user = 'jdupont'): void {
  const store = Store.open(profile);
  for (let i = from; i <= to; i++) {
    store.audit.append({ t: 1_000 + i, user, role: 'supervisor', kind: 'consultation', action: 'incident.get', target: `city:${i}`, origin: 'test' });
  }
  store.close();
}

/** Someone with write access to the SQLite file, bypassing Vigie. */
function tamper(profile: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(profile, 'vigie.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  edit(db);
  db.close();
}

describe('external anchors of the audit journal', { timeout: 60_000 }, () => {
  it('catches the newest rows cut off, which the hash chain alone cannot', async () => {
    const profile = tempDir();
    const anchors = path.join(tempDir(), 'worm', 'anchors.jsonl');
    append(profile, 1, 5);
    const anchored = (await vigie('audit', 'anchor', '--profile', profile, '--to', anchors)) as { stdout: string };
    expect(JSON.parse(anchored.stdout)).toMatchObject({ head: { id: 5 } });
    append(profile, 6, 7);

    tamper(profile, (db) => db.exec('DELETE FROM audit WHERE id >= 4'));
    // The chain of rows 1–3 is intact: without the anchor nothing looks wrong.
    expect(await vigie('audit', 'verify', '--profile', profile)).toMatchObject({ stdout: expect.stringMatching(/^Audit journal intact: 3 rows, hash chain verified\.\nNOT ANCHORED/) });
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the journal ends at row 3 but an anchor written at'),
    });
    expect(((await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)) as { stderr: string }).stderr).toContain('rows 4–5 were cut off');
  });

  it('catches a journal rewritten and re-chained from an early row', async () => {
    const profile = tempDir();
    const anchors = path.join(tempDir(), 'anchors.jsonl');
    append(profile, 1, 4);
    await vigie('audit', 'anchor', '--profile', profile, '--to', anchors);
    tamper(profile, (db) => {
      // Rewrite row 2 and re-hash everything after it, so the chain verifies again.
      const rows = db.prepare('SELECT * FROM audit ORDER BY id').all() as (Parameters<typeof rowHash>[1] & { prev_hash: string; hash: string })[];
      let prev = rows[0]!.hash;
      for (const row of rows.slice(1)) {
        const fields = { ...row, target: row.id === 2 ? 'city:somewhere-else' : row.target };
        const hash = rowHash(prev, fields);
        db.prepare('UPDATE audit SET target = ?, prev_hash = ?, hash = ? WHERE id = ?').run(fields.target, prev, hash, row.id);
        prev = hash;
      }
    });
    expect(await vigie('audit', 'verify', '--profile', profile)).toMatchObject({ stdout: expect.stringContaining('intact: 4 rows') });
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({ code: 1, stderr: expect.stringContaining('row 4 does not match the anchor') });
  });

  it('an intact journal verifies against its anchors; the anchor file is chained too', async () => {
    const profile = tempDir();
    const anchors = path.join(tempDir(), 'anchors.jsonl');
    append(profile, 1, 2);
    const anchorNow = () => {
      const store = Store.open(profile);
      appendAnchor(anchors, store.audit);
      store.close();
    };
    anchorNow();
    append(profile, 3, 3);
    anchorNow();
    // Anchoring again with no new row writes nothing.
    anchorNow();
    expect(readAnchors(anchors).anchors.map((a) => a.head.id)).toEqual([2, 3]);
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({ stdout: expect.stringMatching(/intact: 3 rows, hash chain verified; 2 anchors, the newest \(.*\) at row 3\./) });

    const lines = fs.readFileSync(anchors, 'utf8').trim().split('\n');
    fs.writeFileSync(anchors, `${lines[1]}\n`);
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({ code: 1, stderr: expect.stringContaining('line 1 does not follow the line before it') });
    fs.writeFileSync(anchors, `${lines[0]!.replace('"id":2', '"id":1')}\n${lines[1]}\n`);
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({ code: 1, stderr: expect.stringContaining('line 1 was changed after it was written') });
  });

  it('a journal replaced by another one does not pass for the anchored one', async () => {
    const profile = tempDir();
    const anchors = path.join(tempDir(), 'anchors.jsonl');
    append(profile, 1, 2);
    await vigie('audit', 'anchor', '--profile', profile, '--to', anchors);
    fs.rmSync(profile, { recursive: true });
    append(profile, 1, 2, 'someone.else');
    expect(await vigie('audit', 'verify', '--profile', profile, '--anchor', anchors)).toMatchObject({ code: 1, stderr: expect.stringContaining('no anchor in the file belongs to this journal') });
  });

  describe('written by the running service', () => {
    const cores: VigieCore[] = [];
    afterEach(async () => {
      for (const c of cores.splice(0)) await c.close();
    });

    it('anchors the head at start and on the way out, to the file config.json names', async () => {
      const profile = tempDir();
      const anchors = path.join(tempDir(), 'share', 'vigie-anchors.jsonl');
      append(profile, 1, 3);
      fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ demo: false, audit: { anchorFile: anchors, anchorEverySeconds: 60 } }));
      const core = new VigieCore(profile, { profileDir: profile, policyFile: path.join(profile, 'no-policy.json'), demo: false });
      core.start();
      expect(readAnchors(anchors).anchors.map((a) => a.head.id)).toEqual([3]);
      core.store.audit.append({ t: 2_000, user: 'jdupont', role: 'supervisor', kind: 'action', action: 'incident.close', target: 'city:9', origin: 'test' });
      await core.close();
      expect(readAnchors(anchors).anchors.map((a) => a.head.id)).toEqual([3, 4]);
    });
  });
});
