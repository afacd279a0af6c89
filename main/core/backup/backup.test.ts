import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { VigieCore } from '../core';
import type { CallContext } from '../rpc';
import { ingestBatch } from '../ingest/ingest';
import { openDatabase, DamagedDatabaseError } from '../db/connection';
import { backupProfile, listBackups } from './backup';
import { BackupSchedule } from './schedule';
import { callAs } from '../../../test/core';
import { tempDir } from '../../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, VIGIE_POLICY_FILE: '/nonexistent/policy.json' } });
const supervisor: CallContext = { user: 'claire', role: 'supervisor', origin: 'test' };
const auditor: CallContext = { user: 'audrey', role: 'auditor', origin: 'test' };

const cores: VigieCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});
function openCore(dir: string): VigieCore {
  const core = new VigieCore(dir, { profileDir: dir, demo: false });
  cores.push(core);
  return core;
}

let next = 0;
function incidents(n: number): FeedRecord[] {
  return Array.from({ length: n }, () => {
    const i = next++;
    return { kind: 'incident', externalId: `I${i}`, category: 'public_order', priority: 1 + (i % 4), status: i % 3 === 0 ? 'closed' : 'new', title: `Incident ${i}`, lon: 5.3 + (i % 100) / 500, lat: 43.2 + (i % 70) / 500, occurredAt: Date.parse('2026-11-28T10:00:00Z') + i * 1000 } as FeedRecord;
  });
}
const ingest = (core: VigieCore, n: number) => ingestBatch(core.store, { id: 'cad', simulated: false }, { records: incidents(n), errors: [] }, Date.now());

/** What a supervisor and an auditor see: the picture and the journal, through the contract. */
async function picture(core: VigieCore) {
  return {
    incidents: await callAs<unknown[]>(core, supervisor, 'incidents.list', { limit: 50_000 }),
    journal: await callAs<{ id: number; kind: string }[]>(core, auditor, 'audit.list', { limit: 1_000 }),
  };
}

describe('backup and restore', () => {
  it('backs up a live profile while it ingests, restores it, and the journal verifies; a quiet backup restores the very same picture', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live');
    const core = openCore(live);
    for (let i = 0; i < 5; i++) ingest(core, 1_000);
    await callAs(core, supervisor, 'incidents.list', {});
    const before = core.store.db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;

    // The backup runs in its own process while this one keeps ingesting, as the service would.
    const child = spawn(process.execPath, [bin, 'backup', '--profile', live, '--to', path.join(dir, 'backups')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VIGIE_POLICY_FILE: '/nonexistent/policy.json' } });
    let said = '';
    child.stdout.on('data', (d) => (said += d));
    child.stderr.on('data', (d) => (said += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let batches = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      ingest(core, 50);
      batches++;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await exited, said).toBe(0);
    expect(batches).toBeGreaterThan(1);
    const [backup] = listBackups(path.join(dir, 'backups'));
    expect(said).toContain(`Backed up ${live} to ${backup!.dir}`);

    const restored = path.join(dir, 'restored');
    const restore = await vigie('restore', '--from', backup!.dir, '--profile', restored);
    expect(restore.stdout).toMatch(/audit journal intact \(\d+ rows, hash chain verified\)/);
    expect((await vigie('audit', 'verify', '--profile', restored)).stdout).toMatch(/^Audit journal intact/);
    // One instant of the live profile: every incident of its log is in its picture, and it holds
    // at least what was there when the backup started.
    const copy = new Database(path.join(restored, 'vigie.sqlite'), { readonly: true });
    const count = copy.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    expect(copy.prepare("SELECT count(DISTINCT entity) FROM events WHERE kind = 'incident.upsert'").pluck().get()).toBe(count);
    copy.close();
    expect(count).toBeGreaterThanOrEqual(before);

    // Quiet now: a backup restores exactly what the supervisor and the auditor saw.
    const seen = await picture(core);
    const quiet = await backupProfile(live, path.join(dir, 'backups'));
    await vigie('restore', '--from', quiet.dir, '--profile', path.join(dir, 'restored2'));
    const again = openCore(path.join(dir, 'restored2'));
    const after = await picture(again);
    expect(after.incidents).toEqual(seen.incidents);
    // The journal as it stood, plus only the consultations made since on the restored profile.
    const newest = Math.max(...seen.journal.map((r) => r.id));
    expect(after.journal.filter((r) => r.id <= newest)).toEqual(seen.journal);
    expect(after.journal.filter((r) => r.id > newest).every((r) => r.kind === 'consultation')).toBe(true);
    expect(seen.incidents.length).toBe(next);
  });

  it('restores over an existing profile only after checking the backup, keeping the old database aside', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live');
    const core = openCore(live);
    ingest(core, 20);
    const made = await backupProfile(live, path.join(dir, 'backups'));
    // A backup altered afterwards is refused, and the profile is untouched.
    const altered = path.join(dir, 'altered');
    fs.cpSync(made.dir, altered, { recursive: true });
    fs.appendFileSync(path.join(altered, 'vigie.sqlite'), Buffer.alloc(4096, 1));
    await expect(vigie('restore', '--from', altered, '--profile', live)).rejects.toMatchObject({ stderr: expect.stringMatching(/does not match its manifest's SHA-256: the backup was altered or damaged; restore an older one/) });
    await core.close();
    cores.splice(0);
    const { stdout } = await vigie('restore', '--from', made.dir, '--profile', live);
    expect(stdout).toMatch(/The previous database was kept as .*vigie\.sqlite\.before-restore-/);
    expect(fs.readdirSync(live).some((f) => f.startsWith('vigie.sqlite.before-restore-'))).toBe(true);
  });

  it('runs on the policy\'s schedule and keeps the newest N', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live');
    const core = openCore(live);
    ingest(core, 5);
    let now = Date.parse('2026-12-01T00:00:00Z');
    const schedule = new BackupSchedule(live, { everyHours: 6, keep: 3, dir: '../backups' }, () => now);
    for (let hour = 0; hour < 48; hour++) {
      await schedule.tick();
      now += 3_600_000;
    }
    const kept = listBackups(path.join(dir, 'backups'));
    expect(kept.map((b) => new Date(b.createdAt).toISOString())).toEqual(['2026-12-02T18:00:00.000Z', '2026-12-02T12:00:00.000Z', '2026-12-02T06:00:00.000Z']);
  });
});

describe('a damaged database', () => {
  it('is refused at start with a message naming the file, the last backup and what to do, and left as it was', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live');
    const core = openCore(live);
    ingest(core, 3_000);
    const made = await backupProfile(live, path.join(live, 'backups'));
    await core.close();
    cores.splice(0);
    const file = path.join(live, 'vigie.sqlite');
    damage(file);
    const damaged = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DamagedDatabaseError);
    let message = '';
    try {
      openDatabase(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${file} is damaged`);
    expect(message).toContain(`The last backup is ${made.dir}`);
    expect(message).toContain(`vigie restore --from ${made.dir} --profile ${live}`);
    expect(fs.readFileSync(file).equals(damaged)).toBe(true);
    // The CLI says the same, with its own exit code, instead of a stack trace.
    await expect(vigie('query', '--profile', live, 'incidents', '--count')).rejects.toMatchObject({ code: 3, stderr: expect.stringContaining('is damaged') });
  });
});

/** Overwrites 16 KB in the middle of the file with bytes that are no b-tree page. */
export function damage(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, Math.floor(size / 2 / 4096) * 4096);
  fs.closeSync(fd);
}
