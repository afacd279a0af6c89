import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import { appendAnchor, checkAnchors, readAnchors } from './anchor';
import { checkpointKey, JournalRetentionConfig, purgeJournal, retentionCutoff } from './retention';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 11, 5);

/** A journal of one row every 10 days over the last 18 months. */
function journal(): { profile: string; store: Store } {
  const profile = tempDir();
  const store = Store.open(profile);
  for (let t = NOW - 540 * DAY; t < NOW; t += 10 * DAY) store.audit.append({ t, user: 'jdupont', role: 'supervisor', kind: 'consultation', action: 'incident.open', target: `city:${t}`, origin: 'test' });
  return { profile, store };
}

/** What someone with write access to the file, bypassing Vigie, might do. */
function tamper(profile: string, sql: string): void {
  const db = new Database(path.join(profile, 'vigie.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('journal retention through a signed checkpoint', () => {
  it('purges rows past 12 months by default, and verify still proves the rest', () => {
    const { profile, store } = journal();
    const config = { ...JournalRetentionConfig.parse({}), keyFile: path.join(profile, 'audit-checkpoint.key') };
    expect(config.retentionMonths).toBe(12);
    const before = store.audit.all();
    const cutoff = retentionCutoff(NOW, 12);
    const old = before.filter((r) => r.t < cutoff).length;
    expect(purgeJournal(store.audit, config, NOW)).toBe(old);
    expect(fs.statSync(config.keyFile).mode & 0o777).toBe(0o600);
    const kept = store.audit.all();
    expect(kept.length).toBe(before.length - old);
    expect(kept.every((r) => r.t >= cutoff)).toBe(true);
    expect(store.audit.verify(checkpointKey(config.keyFile))).toEqual({ ok: true, rows: kept.length, purged: { rows: old, upTo: old, at: NOW } });
    // Running again the same day purges nothing more; a month later, the next rows go, and the count adds up.
    expect(purgeJournal(store.audit, config, NOW)).toBe(0);
    const later = purgeJournal(store.audit, config, NOW + 31 * DAY);
    expect(later).toBeGreaterThan(0);
    expect(store.audit.verify(checkpointKey(config.keyFile))).toMatchObject({ ok: true, purged: { rows: old + later } });
    // The application still cannot delete a row the checkpoint does not cover.
    expect(() => store.db.exec(`DELETE FROM audit WHERE id = ${old + later + 1}`)).toThrow(/append-only/);
    store.close();
  });

  it('its signature is an HMAC-SHA256 that an independent implementation (Python) reproduces', () => {
    const { profile, store } = journal();
    const keyFile = path.join(profile, 'k.key');
    purgeJournal(store.audit, { ...JournalRetentionConfig.parse({}), keyFile }, NOW);
    const c = store.audit.checkpoint()!;
    store.close();
    let python: string;
    try {
      python = execFileSync('python3', ['-c', 'import hmac,hashlib,json,sys; a=json.loads(sys.argv[2]); print(hmac.new(bytes.fromhex(sys.argv[1]), json.dumps(a, separators=(",",":")).encode(), hashlib.sha256).hexdigest())', fs.readFileSync(keyFile, 'utf8').trim(), JSON.stringify(['vigie-audit-checkpoint-v1', c.t, c.journal, c.lastId, c.lastHash, c.purged])], { encoding: 'utf8' }).trim();
    } catch {
      console.warn('[skip] python3 not found: the checkpoint signature is not checked against an independent HMAC');
      return;
    }
    expect(c.sig).toBe(python);
  });

  it('notices an edited checkpoint, a removed checkpoint, rows cut after it, and a missing key', async () => {
    for (const [what, sql, problem] of [
      ['more rows claimed purged', 'UPDATE audit_checkpoint SET last_id = last_id + 3, last_hash = (SELECT hash FROM audit WHERE id = (SELECT last_id + 3 FROM audit_checkpoint)); DELETE FROM audit WHERE id <= (SELECT last_id FROM audit_checkpoint)', /does not match its signature/],
      ['the purged count lowered', 'UPDATE audit_checkpoint SET purged = 1', /does not match its signature/],
      ['the checkpoint removed', 'DELETE FROM audit_checkpoint', /missing before row/],
      ['the oldest kept rows cut', 'DELETE FROM audit WHERE id <= (SELECT last_id + 2 FROM audit_checkpoint)', /missing before row/],
    ] as const) {
      const { profile, store } = journal();
      purgeJournal(store.audit, { ...JournalRetentionConfig.parse({}), keyFile: path.join(profile, 'audit-checkpoint.key') }, NOW);
      store.close();
      tamper(profile, sql);
      const reopened = Store.open(profile);
      const result = reopened.audit.verify(checkpointKey(path.join(profile, 'audit-checkpoint.key')));
      reopened.close();
      expect(result.ok, what).toBe(false);
      expect(result.firstBroken!.problem, what).toMatch(problem);
    }
    // The command line reads the key where the profile keeps it, and says so when it is gone.
    const { profile, store } = journal();
    purgeJournal(store.audit, { ...JournalRetentionConfig.parse({}), keyFile: path.join(profile, 'audit-checkpoint.key') }, NOW);
    store.close();
    const ok = await vigie('audit', 'verify', '--profile', profile);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit journal intact: \d+ rows, hash chain verified \(rows 1–\d+ purged by retention on 2026-12-05T00:00:00\.000Z, through a signed checkpoint that verifies\)/);
    fs.rmSync(path.join(profile, 'audit-checkpoint.key'));
    const noKey = await vigie('audit', 'verify', '--profile', profile);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('its key is missing');
  }, 60_000);

  it('anchors written before a purge still check the rows that remain', () => {
    const { profile, store } = journal();
    const anchors = path.join(tempDir(), 'anchors.jsonl');
    appendAnchor(anchors, store.audit, NOW - 400 * DAY);
    store.audit.append({ t: NOW, user: 'jdupont', role: 'supervisor', kind: 'action', action: 'incident.close', target: 'city:x', origin: 'test' });
    appendAnchor(anchors, store.audit, NOW);
    purgeJournal(store.audit, { ...JournalRetentionConfig.parse({}), keyFile: path.join(profile, 'audit-checkpoint.key') }, NOW);
    expect(checkAnchors(store.audit, readAnchors(anchors).anchors)).toMatchObject({ ok: true, anchors: 2 });
    store.close();
  });

  it('keeps retention within the CNIL range of 6 to 12 months', () => {
    expect(JournalRetentionConfig.safeParse({ retentionMonths: 24 }).success).toBe(false);
    expect(JournalRetentionConfig.safeParse({ retentionMonths: 3 }).success).toBe(false);
    expect(JournalRetentionConfig.parse({ retentionMonths: 6 }).retentionMonths).toBe(6);
  });
});

describe('a journal purged to its last row', () => {
  it('goes on chaining from the checkpoint, and verifies', () => {
    const { profile, store } = journal();
    const keyFile = path.join(profile, 'audit-checkpoint.key');
    const all = store.audit.all().length;
    expect(purgeJournal(store.audit, { ...JournalRetentionConfig.parse({}), keyFile }, NOW + 600 * DAY)).toBe(all);
    expect(store.audit.head()).toMatchObject({ id: all });
    const next = store.audit.append({ t: NOW + 600 * DAY, user: 'jdupont', role: 'supervisor', kind: 'action', action: 'incident.close', target: 'city:y', origin: 'test' });
    expect(next.id).toBe(all + 1);
    expect(store.audit.verify(checkpointKey(keyFile))).toMatchObject({ ok: true, rows: 1, purged: { rows: all } });
    store.close();
  });
});
