import fs from 'node:fs';
import { z } from 'zod';
import { FeedRecord } from '../../../common/domain/feedRecord';

/**
 * A training scenario: scripted injections at offsets from the start of the exercise. Each record
 * is a feed record (docs/training.md): an incident, a unit (a failure is a unit whose status says
 * so), an alert… Its time field (occurredAt, t, sent) may be left out: it is then the instant of
 * injection, so the exercise reads as live.
 */
export const Injection = z.object({
  offsetSeconds: z.number().min(0).max(7 * 86_400),
  /** For the trainer and the debrief; not shown to trainees. */
  note: z.string().max(500).optional(),
  record: z.record(z.string(), z.unknown()),
});
export type Injection = z.infer<typeof Injection>;

export const Scenario = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(4000).optional(),
  injections: z.array(Injection).max(10_000),
});
export type Scenario = z.infer<typeof Scenario>;

/** The record as it is injected at `now`: its time field filled in when the scenario left it out. */
export function injectionRecord(record: Record<string, unknown>, now: number): FeedRecord {
  return FeedRecord.parse(withTime(record, now));
}

function withTime(record: Record<string, unknown>, now: number): Record<string, unknown> {
  const field = record.kind === 'incident' ? 'occurredAt' : record.kind === 'alert' ? 'sent' : 't';
  return record[field] === undefined ? { ...record, [field]: now } : record;
}

/** Reads and checks a scenario file; every error names the file and the injection at fault. */
export function loadScenario(file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the scenario as JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = Scenario.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  parsed.data.injections.forEach((injection, i) => {
    const checked = FeedRecord.safeParse(withTime(injection.record, Date.now()));
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new Error(`${file}: injections.${i}.record.${issue.path.join('.')}: ${issue.message}`);
    }
  });
  return parsed.data;
}

