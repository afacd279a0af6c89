import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkAnchors, readAnchors } from '../audit/anchor';
import { backupDir, listBackups } from '../backup/backup';
import { loadProfileConfig, type ProfileConfig } from '../config';
import { quickCheck } from '../db/connection';
import { MIGRATIONS } from '../db/migrations/index';
import { loadMachinePolicy, type PolicyLoad } from '../policy/machinePolicy';
import { loadPolicy } from '../policy/policy';
import { Store, databasePath } from '../store';

/**
 * `vigie doctor`: whether a workstation is healthy, in one command, each finding with what to do.
 * It reads; it never repairs, and it opens the database read-only so that a damaged file is left
 * exactly as it was found.
 */
export type Status = 'ok' | 'warn' | 'fail';
export interface Finding {
  check: string;
  status: Status;
  detail: string;
}

export interface DoctorOptions {
  profileDir: string;
  now?: number;
  /** Free space below this is a failure (default 200 MB); below 5x it, a warning. */
  minFreeBytes?: number;
  /** How far the hub's clock may be from ours before it is a warning (default 2 s) or a failure (default 30 s). */
  clockWarnMs?: number;
  clockFailMs?: number;
  /** Hub probe timeout (default 5 s). */
  timeoutMs?: number;
}

/** Every check, in the order IT reads them. */
export async function runDoctor(options: DoctorOptions): Promise<Finding[]> {
  const { profileDir } = options;
  const now = options.now ?? Date.now();
  const findings: Finding[] = [];
  const add = (check: string, status: Status, detail: string) => findings.push({ check, status, detail });
  const file = databasePath(profileDir);

  // 1. The database: present, intact, at a schema this Vigie knows.
  let intact = false;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  if (!fs.existsSync(file)) {
    add('database', 'fail', `no database at ${file}: wrong --profile, or a profile never started (\`vigie serve --profile ${profileDir}\` creates one)`);
  } else {
    let db: Database.Database | null = null;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      const check = quickCheck(db);
      if (check === 'ok') {
        intact = true;
        add('database', 'ok', `${file}: quick_check ok (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`);
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > latest) add('schema', 'fail', `schema ${version}, newer than this Vigie knows (${latest}): install the newer Vigie`);
        else if (version < latest) add('schema', 'warn', `schema ${version}; Vigie brings it to ${latest} at its next start`);
        else add('schema', 'ok', `schema ${version} (current)`);
      } else {
        add('database', 'fail', `${file} is damaged (quick_check: ${check}): stop Vigie and restore the last backup (\`vigie restore --from …\`, see the backup line)`);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) add('database', 'fail', `${file} is damaged (${(error as Error).message}): stop Vigie and restore the last backup`);
      // Reading needs a little room beside the file (its -shm): on a full disk that fails, and the file is not to blame.
      else add('database', 'fail', `${file} could not be checked (${(error as Error).message}); see the disk line: on a full disk, free space and run the doctor again`);
    } finally {
      db?.close();
    }
  }

  // 2. Disk: free space where the profile lives, and that a write there succeeds.
  findings.push(diskFinding(profileDir, options.minFreeBytes ?? 200e6));

  // 3. Policy: which one applies, from where, valid or not.
  const policy = loadMachinePolicy();
  findings.push(policyFinding(policy));
  try {
    const rolePolicy = loadPolicy(profileDir);
    if (rolePolicy) add('role policy', 'ok', 'a role policy file maps users to roles');
  } catch (error) {
    add('role policy', 'fail', (error as Error).message);
  }

  // 4. Config and feeds with their health.
  let config: ProfileConfig | null = null;
  try {
    config = loadProfileConfig(profileDir);
  } catch (error) {
    add('config', 'fail', (error as Error).message);
  }
  if (intact) {
    const store = openReadOnly(file);
    try {
      const feeds = policy.status === 'applied' && policy.policy.feeds ? policy.policy.feeds : (config?.feeds ?? []);
      if (feeds.length === 0) add('feeds', 'ok', 'no feed configured (the demo feed runs unless --no-demo)');
      for (const feed of feeds) {
        const state = store.feedState.get(feed.id);
        const since = (t: number | null) => (t === null ? 'never' : `${Math.round((now - t) / 60_000)} min ago`);
        if (state.paused) add(`feed ${feed.id}`, 'warn', 'paused by an operator (Feeds panel)');
        else if (state.consecutiveErrors > 0) add(`feed ${feed.id}`, state.consecutiveErrors >= 3 ? 'fail' : 'warn', `${state.consecutiveErrors} failures in a row, last: ${state.lastError ?? '?'} (${since(state.lastErrorAt)}); last success ${since(state.lastSuccessAt)}`);
        else if (state.lastSuccessAt === null) add(`feed ${feed.id}`, 'warn', 'never reached yet: start Vigie, then look again');
        else add(`feed ${feed.id}`, 'ok', `last success ${since(state.lastSuccessAt)}; ${state.stored} stored, ${state.quarantined} quarantined`);
      }

      // 5. The journal: its hash chain, and its anchors where configured.
      const journal = store.audit.verify();
      if (!journal.ok) add('journal', 'fail', `hash chain BROKEN at row ${journal.firstBroken!.id}: ${journal.firstBroken!.problem}; keep this profile for investigation`);
      else add('journal', 'ok', `${journal.rows} rows, hash chain verified`);
      const anchorConfig = (policy.status === 'applied' ? policy.policy.audit : undefined) ?? config?.audit;
      if (!anchorConfig) add('journal anchor', 'warn', 'no anchor configured: the newest rows could be cut off unnoticed (audit.anchorFile, docs/security.md)');
      else {
        const anchorFile = path.resolve(profileDir, anchorConfig.anchorFile);
        const read = readAnchors(anchorFile);
        const checked = read.problem ? { ok: false, problem: read.problem } : checkAnchors(store.audit, read.anchors);
        if (!checked.ok) add('journal anchor', 'fail', `${anchorFile}: ${checked.problem}`);
        else add('journal anchor', 'ok', `${read.anchors.length} anchors in ${anchorFile}`);
      }
    } finally {
      store.close();
    }
  }

  // 6. Backups: how old the newest is, against the policy's schedule (or a day without one).
  const scheduled = policy.status === 'applied' ? policy.policy.backup : undefined;
  const dir = backupDir(profileDir, scheduled?.dir);
  const newest = listBackups(dir)[0];
  const maxAgeMs = (scheduled ? 2 * scheduled.everyHours : 48) * 3_600_000;
  if (!newest) add('backup', scheduled ? 'fail' : 'warn', `no backup in ${dir}: run \`vigie backup --profile ${profileDir}\`${scheduled ? '; the scheduled backups have not run (see the service log)' : ', and set "backup" in the machine policy for a schedule'}`);
  else {
    const hours = (now - newest.createdAt) / 3_600_000;
    add('backup', now - newest.createdAt > maxAgeMs ? 'warn' : 'ok', `newest ${newest.dir} (${hours.toFixed(1)} h old)${now - newest.createdAt > maxAgeMs ? ': older than expected; run `vigie backup` and see the service log' : ''}`);
  }

  // 7. The hub: reachable, and how far its clock is from ours (the log's order across seats relies on clocks).
  if (config?.hub) {
    for (const url of config.hub.urls) findings.push(await hubFinding(url, options));
  }
  return findings;
}

function openReadOnly(file: string): Store {
  // A doctor never migrates nor writes: the Store's repositories over a read-only connection.
  return new Store(new Database(file, { readonly: true, fileMustExist: true }));
}

export function diskFinding(profileDir: string, minFreeBytes: number): Finding {
  const dir = fs.existsSync(profileDir) ? profileDir : path.dirname(profileDir);
  let free: number;
  try {
    const s = fs.statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch (error) {
    return { check: 'disk', status: 'fail', detail: `cannot read the free space of ${dir}: ${(error as Error).message}` };
  }
  // What SQLite will need: a page written, synced and removed.
  const probe = path.join(dir, `.vigie-doctor-${process.pid}`);
  try {
    fs.writeFileSync(probe, Buffer.alloc(64 * 1024));
    fs.rmSync(probe);
  } catch (error) {
    fs.rmSync(probe, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    return { check: 'disk', status: 'fail', detail: `cannot write in ${dir} (${code === 'ENOSPC' ? 'the disk is full' : (error as Error).message}; ${(free / 1e6).toFixed(1)} MB free): Vigie cannot store feeds nor journal consultations; free space on that disk` };
  }
  const mb = (free / 1e6).toFixed(0);
  if (free < minFreeBytes) return { check: 'disk', status: 'fail', detail: `${mb} MB free where the profile lives: free space on that disk (Vigie needs at least ${(minFreeBytes / 1e6).toFixed(0)} MB)` };
  if (free < 5 * minFreeBytes) return { check: 'disk', status: 'warn', detail: `${mb} MB free where the profile lives: free space soon` };
  return { check: 'disk', status: 'ok', detail: `${mb} MB free` };
}

function policyFinding(policy: PolicyLoad): Finding {
  if (policy.status === 'none') return { check: 'machine policy', status: 'ok', detail: `none at ${policy.path} (single-desk defaults)` };
  if (policy.status === 'invalid') return { check: 'machine policy', status: 'fail', detail: `${policy.error}: Vigie runs read-only until IT fixes ${policy.path}` };
  return { check: 'machine policy', status: 'ok', detail: `applied from ${policy.path}` };
}

/** One round trip to the hub's HTTP side: reachable? and its clock from the Date header. */
export async function hubFinding(url: string, options: Pick<DoctorOptions, 'clockWarnMs' | 'clockFailMs' | 'timeoutMs'>): Promise<Finding> {
  const check = `hub ${url}`;
  const target = new URL(url.replace(/^ws/, 'http'));
  const get = target.protocol === 'https:' ? https.get : http.get;
  const sent = Date.now();
  const answer = await new Promise<{ date: string | undefined; status: number } | Error>((resolve) => {
    const req = get(target, { timeout: options.timeoutMs ?? 5_000 }, (res) => {
      res.resume();
      resolve({ date: res.headers.date, status: res.statusCode ?? 0 });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? 5_000) / 1000} s`)));
    req.on('error', resolve);
  });
  const received = Date.now();
  if (answer instanceof Error) return { check, status: 'fail', detail: `unreachable (${answer.message}): check the network and that the hub runs; this seat works on its own cache meanwhile` };
  const hubTime = answer.date ? Date.parse(answer.date) : NaN;
  if (!Number.isFinite(hubTime)) return { check, status: 'warn', detail: `reachable (HTTP ${answer.status}) in ${received - sent} ms, but it sent no Date: clock offset unknown` };
  // The Date header has one-second resolution: measure against the middle of the round trip, give or take 1 s.
  const offset = hubTime + 500 - (sent + received) / 2;
  const seconds = (offset / 1000).toFixed(1);
  const warn = options.clockWarnMs ?? 2_000;
  const fail = options.clockFailMs ?? 30_000;
  const abs = Math.abs(offset);
  const detail = `reachable in ${received - sent} ms; its clock is ${seconds} s ${offset >= 0 ? 'ahead of' : 'behind'} ours`;
  if (abs > fail) return { check, status: 'fail', detail: `${detail}: fix the time on this workstation or the hub (NTP); actions would be ordered wrongly between seats` };
  if (abs > warn + 1_000) return { check, status: 'warn', detail: `${detail}: check NTP on both machines` };
  return { check, status: 'ok', detail };
}
