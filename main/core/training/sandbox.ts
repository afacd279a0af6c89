import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { databasePath, Store } from '../store';
import { ingestBatch } from '../sync/ingest';
import { storeAndPublish, type FeedContext } from '../feeds/scheduler';
import { injectionRecord, loadScenario, Scenario } from './scenario';

const MARKER = 'sandbox.json';
const DAY = 86_400_000;
/** The source scenario and trainer injections are stored under. Not flagged simulated: trainees must not tell them from the day's own calls (the whole profile is a sandbox). */
export const INJECT_FEED = 'training';

export const SandboxInfo = z.object({
  sourceProfile: z.string(),
  /** The historical day (UTC) copied in. */
  day: z.string(),
  createdAt: z.number(),
  scenario: Scenario.nullable(),
});
export type SandboxInfo = z.infer<typeof SandboxInfo>;

/** The sandbox marker of a profile, or null for an ordinary (live) profile. */
export function readSandbox(profileDir: string): SandboxInfo | null {
  const file = path.join(profileDir, MARKER);
  if (!fs.existsSync(file)) return null;
  return SandboxInfo.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/**
 * A training sandbox: a new profile (its own SQLite file) holding one historical day of the source
 * profile's incidents, replayed through the normal ingest so the projections and the replay index
 * are built as for live data. The source is opened read-only: nothing done here or in the sandbox
 * can write to it.
 */
export function createSandbox(options: { source: string; day: string; out: string; scenarioFile?: string; now?: number }): { incidents: number; info: SandboxInfo } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.day);
  const from = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!Number.isFinite(from)) throw new Error(`--day must be YYYY-MM-DD, got "${options.day}"`);
  const sourceFile = databasePath(options.source);
  if (!fs.existsSync(sourceFile)) throw new Error(`no Vigie profile at ${options.source} (${sourceFile} is missing)`);
  if (path.resolve(options.source) === path.resolve(options.out)) throw new Error('--out must be a new folder, not the source profile');
  if (fs.existsSync(options.out) && fs.readdirSync(options.out).length > 0) throw new Error(`${options.out} is not empty: a sandbox is created in a new folder`);
  const scenario = options.scenarioFile ? loadScenario(options.scenarioFile) : null;

  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  let rows: { t: number; source: string; payload: string }[];
  try {
    rows = source
      .prepare("SELECT t, source, payload FROM events WHERE kind = 'incident.upsert' AND t >= ? AND t < ? ORDER BY t, seq")
      .all(from, from + DAY) as typeof rows;
  } finally {
    source.close();
  }
  fs.mkdirSync(options.out, { recursive: true });
  // No feeds and no demo: the sandbox only ever holds the day and the exercise.
  fs.writeFileSync(path.join(options.out, 'config.json'), JSON.stringify({ feeds: [], demo: false }, null, 2));
  const store = Store.open(options.out);
  try {
    // One record at a time, each dated at its original instant; one transaction for the lot.
    store.db.transaction(() => {
      for (const row of rows) {
        const record = { kind: 'incident', ...JSON.parse(row.payload) } as FeedRecord;
        ingestBatch(store, { id: row.source, simulated: false }, { records: [record], errors: [] }, row.t, { eventTime: () => row.t });
      }
    })();
  } finally {
    store.close();
  }
  const info: SandboxInfo = { sourceProfile: path.resolve(options.source), day: options.day, createdAt: options.now ?? Date.now(), scenario };
  fs.writeFileSync(path.join(options.out, MARKER), JSON.stringify(info, null, 2));
  return { incidents: rows.length, info };
}

const EXERCISE = 'exercise.json';
const ExerciseState = z.object({ startedAt: z.number(), injected: z.array(z.number().int()) });
type ExerciseState = z.infer<typeof ExerciseState>;

/** When the exercise started (its first `vigie serve`), or null before it has. */
export function exerciseStart(profileDir: string): number | null {
  const file = path.join(profileDir, EXERCISE);
  return fs.existsSync(file) ? ExerciseState.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).startedAt : null;
}

/**
 * Plays a sandbox's scenario: each injection is stored, through the same path as a feed, when the
 * exercise clock passes its offset. The clock starts with the sandbox's first data service and is
 * kept in exercise.json with what was injected, so a restart neither replays nor loses injections.
 */
export class ScenarioRunner {
  private timers: NodeJS.Timeout[] = [];
  private state: ExerciseState | null = null;
  constructor(private readonly ctx: FeedContext, private readonly scenario: Scenario, private readonly profileDir: string) {}

  start(now = Date.now()): void {
    const file = path.join(this.profileDir, EXERCISE);
    this.state = fs.existsSync(file) ? ExerciseState.parse(JSON.parse(fs.readFileSync(file, 'utf8'))) : { startedAt: now, injected: [] };
    this.save();
    this.scenario.injections.forEach((injection, index) => {
      if (this.state!.injected.includes(index)) return;
      const delay = Math.max(0, this.state!.startedAt + injection.offsetSeconds * 1000 - Date.now());
      this.timers.push(
        setTimeout(() => {
          this.inject(injection.record);
          this.state!.injected.push(index);
          this.save();
        }, delay),
      );
    });
  }

  /** Stores one injection now (also the trainer's manual injections). */
  inject(record: Record<string, unknown>): void {
    storeAndPublish(this.ctx, { id: INJECT_FEED, simulated: false }, { records: [injectionRecord(record, Date.now())], errors: [] }, Date.now());
  }

  stop(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }

  private save(): void {
    const file = path.join(this.profileDir, EXERCISE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.state));
    fs.renameSync(`${file}.tmp`, file);
  }
}
