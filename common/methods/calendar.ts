import { z } from 'zod';
import { EpochMs } from '../domain/incident';
import { Clash, PlannedEvent, PlannedEventFields } from '../domain/plannedEvent';
import { DESK_ROLES, type Role } from '../domain/roles';
import { method } from './method';

/** Who keeps the calendar: supervisors, and admins who load the city's agenda. */
const CALENDAR_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * The planned-events calendar and its clashes. Its writes stay on their seat (`replicates: 'seat'`):
 * the hub relays no calendar yet, so each seat of a hub keeps its own.
 */
export const calendarMethods = {
  'calendar.list': method({
    params: z.object({ from: EpochMs.optional(), days: z.number().int().min(1).max(90).default(7) }).prefault({}),
    result: z.array(PlannedEvent),
    roles: DESK_ROLES,
    summary: 'Planned events overlapping the coming days (default: from now, 7 days)',
  }),
  'calendar.clashes': method({
    params: z.object({ days: z.number().int().min(1).max(90).default(7) }).prefault({}),
    result: z.array(Clash),
    roles: DESK_ROLES,
    summary: 'Clashes in the coming days: events at the same time close together, or on roadworks/closures, with the reason',
  }),
  'calendar.import': method({
    params: z.object({ format: z.enum(['ics', 'csv', 'geojson']), body: z.string().max(5_000_000) }),
    result: z.object({ stored: z.number().int(), refused: z.array(z.object({ reason: z.string() })) }),
    roles: CALENDAR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Import planned events from an iCalendar, CSV or GeoJSON file',
  }),
  'calendar.save': method({
    params: z.object({ id: z.string().optional(), fields: PlannedEventFields }),
    result: PlannedEvent,
    roles: CALENDAR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Enter a planned event by hand, or edit one (by id)',
  }),
  'calendar.delete': method({
    params: z.object({ id: z.string() }),
    result: z.object({ ok: z.literal(true) }),
    roles: CALENDAR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Remove a planned event (kept in the log)',
  }),
} as const;
