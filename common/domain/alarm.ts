import { z } from 'zod';
import { EpochMs } from './incident';

/** What asks for a person's attention (docs/supervisor.md, "The alarm model"). */
export const ALARM_KINDS = ['incident', 'indicator', 'geofence', 'cap', 'feed', 'hub'] as const;
export const AlarmKind = z.enum(ALARM_KINDS);
export type AlarmKind = z.infer<typeof AlarmKind>;

/** new → seen → acknowledged → closed; each step by whom and when. */
export const ALARM_STATES = ['new', 'seen', 'acknowledged', 'closed'] as const;
export const AlarmState = z.enum(ALARM_STATES);
export type AlarmState = z.infer<typeof AlarmState>;

/** One thing that raised (or joined) an alarm: an incident, an indicator alert, a feed's failure… */
export const AlarmMember = z.object({
  /** What raised it, e.g. `incident:city:R1`, `indicator-alert:42`, `feed:city`. */
  source: z.string(),
  title: z.string(),
  t: EpochMs,
  /** The incident to select, when the member is one. */
  incidentId: z.string().optional(),
  /** The indicator alert whose reflex sheet the side panel shows. */
  indicatorSeq: z.number().int().optional(),
});
export type AlarmMember = z.infer<typeof AlarmMember>;

export const Alarm = z.object({
  id: z.number().int(),
  kind: AlarmKind,
  /** 1 = most urgent … 4; a group takes its most urgent member's. */
  priority: z.number().int().min(1).max(4),
  /** The area (district name, or geofence) a burst is grouped by; null when none applies (a feed). */
  district: z.string().nullable(),
  title: z.string(),
  state: AlarmState,
  /** Escalation: 0 none yet, 1 louder and flashing, 2 raised to the supervisor role. */
  level: z.number().int().min(0).max(2),
  raisedAt: EpochMs,
  /** The newest member's time: a burst keeps growing the same alarm while members come within the window. */
  lastAt: EpochMs,
  count: z.number().int().min(1),
  /** The members, newest first (at most 50 kept; `count` counts them all). */
  members: z.array(AlarmMember),
  seenBy: z.string().nullable(),
  seenAt: EpochMs.nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: EpochMs.nullable(),
  closedBy: z.string().nullable(),
  closedAt: EpochMs.nullable(),
  escalatedAt: EpochMs.nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

const Escalation = z.object({
  /** Unacknowledged this long: level 1 (louder, flashing). */
  louderAfterS: z.number().min(1).max(86_400),
  /** Unacknowledged this long: level 2 (raised to the supervisor role). */
  supervisorAfterS: z.number().min(1).max(86_400),
});

export const DEFAULT_ESCALATION: Record<AlarmKind, z.infer<typeof Escalation>> = {
  incident: { louderAfterS: 30, supervisorAfterS: 120 },
  indicator: { louderAfterS: 60, supervisorAfterS: 300 },
  geofence: { louderAfterS: 60, supervisorAfterS: 300 },
  cap: { louderAfterS: 60, supervisorAfterS: 300 },
  feed: { louderAfterS: 120, supervisorAfterS: 600 },
  hub: { louderAfterS: 60, supervisorAfterS: 300 },
};

/** config.json `alarms`: what IT decides for the room; every field has a sane default. */
export const AlarmConfig = z
  .object({
    /** Same kind, same district, within this many seconds of the group's newest member: one alarm with a count. */
    groupWindowS: z.number().min(0).max(3600).default(120),
    /** CAP alerts at or above this severity raise an alarm. */
    capMinSeverity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor']).default('Severe'),
    /** Per kind; a kind left out keeps its default. */
    escalation: z.partialRecord(AlarmKind, Escalation).default({}),
    /** The room's sound policy: a desk may lower or mute on top of it, never raise above `volume`. */
    sound: z.object({ volume: z.number().min(0).max(1).default(0.6), muted: z.boolean().default(false) }).prefault({}),
  })
  .prefault({});
export type AlarmConfig = z.infer<typeof AlarmConfig>;

/** What a desk needs to order, voice and escalate alarms. */
export const AlarmPolicy = z.object({
  sound: z.object({ volume: z.number(), muted: z.boolean() }),
  escalation: z.record(AlarmKind, Escalation),
  groupWindowS: z.number(),
});
export type AlarmPolicy = z.infer<typeof AlarmPolicy>;
