import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Scenario } from './scenario';

export const MARKER = 'sandbox.json';
/** Used only when the day holds no incident feed to borrow the name of (docs/training.md: injections take the day's feed name). */
export const INJECT_FEED = 'training';

export const SandboxInfo = z.object({
  sourceProfile: z.string(),
  /** The historical day (UTC) copied in. */
  day: z.string(),
  createdAt: z.number(),
  scenario: Scenario.nullable(),
  /** Where the exercise clock starts (an instant of the day); absent: the day's midnight (UTC). */
  startAt: z.number().optional(),
  /** The exercise clock's speed at its first start (1 = real time); the trainer changes it while it runs. */
  speed: z.number().positive().optional(),
});
export type SandboxInfo = z.infer<typeof SandboxInfo>;

/** The sandbox marker of a profile, or null for an ordinary (live) profile. */
export function readSandbox(profileDir: string): SandboxInfo | null {
  const file = path.join(profileDir, MARKER);
  if (!fs.existsSync(file)) return null;
  return SandboxInfo.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The exercise clock's starting instant: the sandbox's start time, else the day's midnight (UTC). */
export function exerciseStartAt(info: SandboxInfo): number {
  return info.startAt ?? Date.parse(`${info.day}T00:00:00Z`);
}
