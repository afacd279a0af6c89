import fs from 'node:fs';
import path from 'node:path';
import { ForecastCheck, type AreaForecast, type CellExplanation, type ModelCard } from '../../../common/methods/forecasts';
import type { Incident } from '../../../common/domain/incident';
import type { District } from '../indicators/districts';
import { runCheckOffThread } from './check';
import { LIVE_CELL_M, LiveForecasts } from './live';
import { log } from '../log';

const logger = log('forecast');

/** A check older than this is re-run in the background when the model card is opened. */
export const CHECK_MAX_AGE_MS = 24 * 3_600_000;
/** The fields of an incident the live model reads; the model card lists them. */
export const MODEL_INPUTS = ['occurredAt', 'lon', 'lat', 'category'];

/**
 * The live forecast with its evidence: the model card, "why is this cell high?", and the check
 * (a backtest on the cache's recent weeks, per district) kept in the profile's
 * forecast-checks.json so the card keeps its evidence across restarts. The file holds derived
 * numbers only (scores per district), never incidents.
 */
export class ForecastService {
  private readonly running = new Map<number, Promise<ForecastCheck | null>>();
  private readonly notes = new Map<number, string>();
  private checks: Record<string, ForecastCheck> | null = null;

  constructor(
    readonly live: LiveForecasts,
    private readonly incidents: () => Incident[],
    private readonly districts: () => readonly District[],
    private readonly file: string | null,
    private readonly canWrite: () => boolean = () => true,
  ) {}

  static forProfile(store: { incidents: { list(o: { limit: number }): Incident[] } }, profileDir: string, districts: () => readonly District[], canWrite: () => boolean, modelName?: string, publish?: (forecast: AreaForecast) => void): ForecastService {
    const live = LiveForecasts.fromStore(store, modelName, publish);
    return new ForecastService(live, () => live.history(), districts, path.join(profileDir, 'forecast-checks.json'), canWrite);
  }

  explain(horizonHours: number, lon: number, lat: number, now = Date.now()): CellExplanation | null {
    const run = this.live.run(horizonHours, now);
    const e = run.explain(lon, lat);
    return e ? { ...e, computedAt: run.forecast.computedAt, horizonHours } : null;
  }

  modelCard(horizonHours: number, now = Date.now()): ModelCard {
    const run = this.live.run(horizonHours, now);
    const check = this.lastCheck(horizonHours);
    // Opening the card keeps its evidence fresh: a missing or day-old check starts in the background.
    if ((!check || now - check.ranAt > CHECK_MAX_AGE_MS) && !this.running.has(horizonHours) && this.canWrite()) void this.check(horizonHours).catch(() => undefined);
    return {
      model: run.model.name,
      modelVersion: run.model.version,
      summary: run.model.summary,
      horizonHours,
      cellM: LIVE_CELL_M,
      computedAt: run.forecast.computedAt,
      trainingFrom: run.trainingFrom,
      trainingTo: run.trainingTo,
      basedOn: run.forecast.basedOn,
      inputs: MODEL_INPUTS,
      categories: run.categories,
      params: Object.entries(run.params).map(([name, value]) => ({ name, value })),
      check,
      checkNote: check ? null : (this.notes.get(horizonHours) ?? null),
      checkRunning: this.running.has(horizonHours),
    };
  }

  /** Runs a check (or joins the one running for this horizon) and keeps its result. */
  check(horizonHours: number, now = Date.now()): Promise<ForecastCheck | null> {
    const pending = this.running.get(horizonHours);
    if (pending) return pending;
    const job = runCheckOffThread({ incidents: this.incidents(), now, horizonHours, model: this.live.run(horizonHours, now).model, districts: this.districts() })
      .then((outcome) => {
        if (!outcome.check) {
          this.notes.set(horizonHours, outcome.note);
          return null;
        }
        this.notes.delete(horizonHours);
        this.store(horizonHours, outcome.check);
        return outcome.check;
      })
      .finally(() => this.running.delete(horizonHours));
    this.running.set(horizonHours, job);
    return job;
  }

  /** The last check of the live model for this horizon (one of another model, before a config change, does not count). */
  lastCheck(horizonHours: number): ForecastCheck | null {
    const check = this.load()[String(horizonHours)];
    return check && check.model.model === this.live.modelName ? check : null;
  }

  private load(): Record<string, ForecastCheck> {
    if (this.checks) return this.checks;
    this.checks = {};
    if (!this.file || !fs.existsSync(this.file)) return this.checks;
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      for (const [h, c] of Object.entries(raw)) {
        const parsed = ForecastCheck.safeParse(c);
        if (parsed.success) this.checks[h] = parsed.data;
      }
    } catch (error) {
      // Derived numbers only: a damaged file is set aside and the next check writes a fresh one.
      logger.error({ err: error }, `${this.file} could not be read (${(error as Error).message}); it is kept as ${this.file}.bad`);
      fs.renameSync(this.file, `${this.file}.bad`);
    }
    return this.checks;
  }

  private store(horizonHours: number, check: ForecastCheck): void {
    const all = this.load();
    all[String(horizonHours)] = check;
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 1));
    fs.renameSync(tmp, this.file);
  }
}
