import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../common/domain/feedRecord';
import { VigieCore } from '../core/core';
import { ingestBatch } from '../core/ingest/ingest';
import { backupProfile } from '../core/backup/backup';
import { EXIT_REFUSED_DATABASE, isServiceRefusal, type ServiceRefusal } from '../host/serviceRefusal';
import { afterServiceExit } from './serviceExit';
import { RestartBackoff } from './restartBackoff';
import { tempDir } from '../../test/helpers';

const env = { ...process.env, VIGIE_POLICY_FILE: '/nonexistent/policy.json' };
const bin = path.resolve(import.meta.dirname, '../../test/vigie.mjs');
const serviceSource = path.resolve(import.meta.dirname, '../host/service.ts');

/** Starts the data service as Electron's utilityProcess would, with a stand-in parentPort; returns its exit code and what it told main. */
function runService(profile: string, timeout = 60_000): { code: number | null; told: unknown[]; stderr: string } {
  const probe = `
import fs from 'node:fs';
import { EventEmitter } from 'node:events';
const told = [];
const parent = new EventEmitter();
parent.postMessage = (m) => { told.push(m); if (m.type === 'ready') process.exit(0); };
process.parentPort = parent;
process.on('exit', () => fs.writeSync(1, JSON.stringify(told) + '\\n'));
await import(${JSON.stringify(serviceSource)});
`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe, '--', '--profile', profile, '--no-demo'], { encoding: 'utf8', env, timeout });
  const line = r.stdout.trim().split('\n').pop() ?? '[]';
  return { code: r.status, told: JSON.parse(line.startsWith('[') ? line : '[]') as unknown[], stderr: r.stderr };
}

/** Overwrites 16 KB in the middle of the file with bytes that are no b-tree page. */
function damage(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, Math.floor(size / 2 / 4096) * 4096);
  fs.closeSync(fd);
}

function incidents(n: number): FeedRecord[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'incident', externalId: `I${i}`, category: 'public_order', priority: 1 + (i % 4), status: 'new', title: `Incident ${i}`, lon: 5.3 + (i % 100) / 500, lat: 43.2 + (i % 70) / 500, occurredAt: Date.parse('2026-11-28T10:00:00Z') + i * 1000 }) as FeedRecord);
}

const backoff = () => new RestartBackoff({ baseMs: 500, maxMs: 30_000, stableMs: 60_000 });

describe('when the data service exits, Electron main', () => {
  it('restarts a crashed service with backoff, and does nothing while quitting', () => {
    const b = backoff();
    b.started(0);
    expect(afterServiceExit({ code: 1, quitting: false, refusal: null, profileDir: '/p', backoff: b, now: 1_000 })).toEqual({ action: 'restart', delayMs: 500 });
    expect(afterServiceExit({ code: 1, quitting: false, refusal: null, profileDir: '/p', backoff: b, now: 2_000 })).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(afterServiceExit({ code: 0, quitting: true, refusal: null, profileDir: '/p', backoff: b, now: 3_000 })).toEqual({ action: 'none' });
  });

  it('does not restart a service that refused the database, even when its message was lost, and names the file and vigie doctor', () => {
    const next = afterServiceExit({ code: EXIT_REFUSED_DATABASE, quitting: false, refusal: null, profileDir: '/srv/vigie/profile', backoff: backoff(), now: 0 });
    expect(next).toMatchObject({ action: 'dialog', restoreCommand: null });
    if (next.action !== 'dialog') throw new Error('no dialog');
    expect(next.message).toContain('/srv/vigie/profile/vigie.sqlite');
    expect(next.detail).toContain('vigie doctor --profile "/srv/vigie/profile"');
  });

  it('shows a dialog naming a really damaged file, its last backup and a restore command that, run as shown, brings the profile back', { timeout: 180_000 }, async () => {
    const profile = path.join(tempDir(), 'profile');
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    ingestBatch(core.store, { id: 'cad', simulated: false }, { records: incidents(3_000), errors: [] }, Date.now());
    const made = await backupProfile(profile, path.join(profile, 'backups'));
    await core.close();
    const file = path.join(profile, 'vigie.sqlite');
    damage(file);

    const refused = runService(profile);
    expect(refused.code).toBe(EXIT_REFUSED_DATABASE);
    const refusal = refused.told.find(isServiceRefusal) as ServiceRefusal;
    expect(refusal).toMatchObject({ reason: 'damaged', file, profileDir: profile, lastBackup: { dir: made.dir } });
    expect(refused.told.some((m) => (m as { type?: string }).type === 'ready')).toBe(false);

    // Main's decision from what it was told: a dialog, and the restart counter untouched.
    const b = backoff();
    const next = afterServiceExit({ code: refused.code, quitting: false, refusal, profileDir: profile, backoff: b, now: 0 });
    if (next.action !== 'dialog') throw new Error(`expected a dialog, got ${next.action}`);
    expect(next.message).toContain(`${file} is damaged`);
    expect(next.message).toContain(`${file} est endommagée`);
    expect(next.detail).toContain(made.dir);
    expect(next.restoreCommand).toBe(`vigie restore --from "${made.dir}" --profile "${profile}"`);
    expect(next.detail).toContain(next.restoreCommand);
    expect(b.exited(0)).toBe(500); // the first restart delay is still unspent: nothing was scheduled

    // The command the dialog shows, run as shown, restores the profile, and the service then starts.
    const args = [...next.restoreCommand!.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
    await promisify(execFile)(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    const restarted = runService(profile);
    expect(restarted.code).toBe(0);
    expect(restarted.told.some((m) => (m as { type?: string }).type === 'ready')).toBe(true);
  });
});
