import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { Store } from '../store';
import type { EventBus } from '../bus';
import { ingestBatch } from '../ingest/ingest';
import { publishOutcome } from '../feeds/runner';
import { TrainingScript } from '../db/training';
import { systemClock, type Clock, type Timer } from '../clock';
import { ExerciseClock, type ExerciseClockState } from './exerciseClock';
import { injectionRecord } from './scenario';
import { exerciseStartAt, INJECT_FEED, type SandboxInfo } from './sandboxInfo';

const EXERCISE = 'exercise.json';
const ExerciseState = z.object({
  /** Wall time of the exercise's first data service. */
  startedAt: z.number(),
  /** Scenario injections already played (by index). */
  injected: z.array(z.number().int()),
  /** The exercise clock when last saved (absent in sandboxes made before the exercise ran in time). */
  clock: z.object({ at: z.number(), speed: z.number().positive(), running: z.boolean() }).optional(),
  /** The last training_script row delivered. */
  delivered: z.number().int().optional(),
});
type ExerciseState = z.infer<typeof ExerciseState>;

function readState(profileDir: string): ExerciseState | null {
  const file = path.join(profileDir, EXERCISE);
  return fs.existsSync(file) ? ExerciseState.parse(JSON.parse(fs.readFileSync(file, 'utf8'))) : null;
}

/** When the exercise started on the wall clock (its first `vigie serve`), or null before it has. */
export function exerciseStart(profileDir: string): number | null {
  return readState(profileDir)?.startedAt ?? null;
}

/**
 * Runs a sandbox's exercise in time. The exercise clock reads the historical day's own instants
 * (from the sandbox's start time, at its speed, paused and resumed by the trainer); the day's
 * records wait in training_script and each is delivered through the normal ingest when the clock
 * passes its instant, so calls arrive as they did; scenario injections are played at their
 * offsets from the start. Injected records take the name of the day's own feed and an id shaped
 * like the day's, so nothing in what trainees receive tells them apart; which they were is kept in
 * training_injections for the trainer and the debrief. The clock, what was delivered and what was
 * injected are kept in exercise.json, so a restart resumes where the exercise stood.
 */
export class ScenarioRunner {
  readonly clock: ExerciseClock;
  private readonly script: TrainingScript;
  private timers: Timer[] = [];
  private next: Timer | null = null;
  private state: ExerciseState;
  private readonly base: Clock;
  private feed: string | null = null;

  constructor(private readonly ctx: { store: Store; bus: EventBus; clock?: Clock }, private readonly info: SandboxInfo, private readonly profileDir: string) {
    this.base = ctx.clock ?? systemClock;
    this.script = new TrainingScript(ctx.store.db);
    const saved = readState(profileDir);
    const startAt = exerciseStartAt(info);
    this.state = saved ?? { startedAt: this.base.now(), injected: [] };
    const clock = this.state.clock ?? { at: startAt, speed: info.speed ?? 1, running: true };
    // Built standing still: start() sets it going, so the time between building and starting is not exercise time.
    this.clock = new ExerciseClock({ at: clock.at, speed: clock.speed, running: false }, this.base);
    this.state.clock = clock;
    this.clock.onChange((s) => {
      this.state.clock = { at: s.at, speed: s.speed, running: s.running };
      this.save();
      ctx.bus.emit('training.clock', { clock: s });
    });
  }

  start(): void {
    const wasRunning = this.state.clock!.running;
    this.save();
    if (wasRunning) this.clock.resume();
    this.deliver();
    const startAt = exerciseStartAt(this.info);
    (this.info.scenario?.injections ?? []).forEach((injection, index) => {
      if (this.state.injected.includes(index)) return;
      const due = startAt + injection.offsetSeconds * 1000;
      const delay = Math.max(0, due - this.clock.now());
      this.timers.push(
        this.clock.setTimeout(() => {
          // Dated at its scripted instant: a timer that fires late (a busy machine, 60x) does not move the call.
          this.inject(injection.record, 'scenario', injection.note ?? null, due);
          this.state.injected.push(index);
          this.save();
        }, delay),
      );
    });
  }

  stop(): void {
    this.timers.forEach((t) => t.cancel());
    this.timers = [];
    this.next?.cancel();
    this.next = null;
    if (this.state.clock) this.state.clock = { ...this.state.clock, at: this.clock.now() };
    this.save();
    this.clock.stop();
  }

  clockState(): ExerciseClockState {
    return this.clock.state();
  }

  /** Stores one injection now, on the exercise clock (a scenario's, or the trainer's by hand). */
  inject(record: Record<string, unknown>, origin: 'scenario' | 'trainer' = 'trainer', note: string | null = null, at?: number): void {
    const now = at ?? this.clock.now();
    const feedId = this.dayFeed();
    const disguised = this.lookalike(record, feedId);
    const parsed = injectionRecord(disguised, now);
    const outcome = ingestBatch(this.ctx.store, { id: feedId, simulated: false }, { records: [parsed], errors: [] }, now, { eventTime: () => now });
    if (outcome.quarantined > 0) throw new Error('the record was refused by ingest (see the quarantine)');
    for (const i of outcome.changedIncidents) this.script.markInjected(i.id, now, origin, note);
    for (const u of outcome.changedUnits) this.script.markInjected(u.id, now, origin, note);
    for (const a of outcome.changedAlerts) this.script.markInjected(a.id, now, origin, note);
    publishOutcome(this.ctx.bus, outcome);
  }

  /** Entities injected so far (for the trainer's view only). */
  injections(): { entity: string; t: number; origin: 'scenario' | 'trainer'; note: string | null }[] {
    return this.script.injections();
  }

  /** Delivers every record of the day due by now, then waits on the exercise clock for the next. */
  private deliver(): void {
    this.next = null;
    const now = this.clock.now();
    let delivered = this.state.delivered ?? 0;
    for (;;) {
      const due = this.script.due(delivered, now);
      if (due.length === 0) break;
      let i = 0;
      // One batch per run of records from one feed, each dated at its own instant.
      while (i < due.length) {
        let j = i + 1;
        while (j < due.length && due[j]!.feed_id === due[i]!.feed_id) j++;
        const chunk = due.slice(i, j);
        const records = chunk.map((r) => JSON.parse(r.record) as FeedRecord);
        const times = new Map(records.map((r, k) => [r, chunk[k]!.t]));
        // Received now in exercise time, as a live feed's records are ("updated 2 min ago" on the
        // exercise clock); retention counts on the same clock (the scheduler runs on it).
        const outcome = ingestBatch(this.ctx.store, { id: chunk[0]!.feed_id, simulated: false }, { records, errors: [] }, now, { eventTime: (r) => times.get(r) ?? chunk[0]!.t });
        publishOutcome(this.ctx.bus, outcome);
        i = j;
      }
      delivered = due[due.length - 1]!.seq;
    }
    if (delivered !== (this.state.delivered ?? 0)) {
      this.state.delivered = delivered;
      this.save();
    }
    const nextAt = this.script.nextAt(delivered);
    if (nextAt !== null) this.next = this.clock.setTimeout(() => this.deliver(), Math.max(0, nextAt - this.clock.now()));
  }

  /** The feed the day's calls came from: injected calls carry its name, not "training". */
  private dayFeed(): string {
    this.feed ??= this.script.mainIncidentFeed() ?? INJECT_FEED;
    return this.feed;
  }

  /**
   * The record with an id shaped like the day's (a scenario's "S1" would give it away): 16 hex
   * digits when the day's ids are row hashes (CSV without an id column), a number when they are
   * numbers. The same scenario id always gives the same new id, so its later updates follow it.
   */
  private lookalike(record: Record<string, unknown>, feedId: string): Record<string, unknown> {
    if (record.kind !== 'incident' || typeof record.externalId !== 'string') return record;
    const samples = this.script.sampleExternalIds(feedId);
    const digest = crypto.createHash('sha1').update(`${this.info.createdAt}:${record.externalId}`).digest('hex');
    if (samples.length > 0 && samples.every((s) => /^[0-9a-f]{16}(~\d+)?$/.test(s))) return { ...record, externalId: digest.slice(0, 16) };
    if (samples.length > 0 && samples.every((s) => /^\d+$/.test(s))) {
      const width = Math.max(...samples.map((s) => s.length));
      const n = BigInt(`0x${digest.slice(0, 12)}`) % 10n ** BigInt(Math.min(width, 15));
      return { ...record, externalId: n.toString().padStart(width, '1') };
    }
    return record;
  }

  private save(): void {
    const file = path.join(this.profileDir, EXERCISE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.state));
    fs.renameSync(`${file}.tmp`, file);
  }
}
