import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

export const PLANNED_KINDS = ['public_event', 'market', 'demonstration', 'roadworks', 'closure', 'match', 'other'] as const;
export const PlannedKind = z.enum(PLANNED_KINDS);
export type PlannedKind = z.infer<typeof PlannedKind>;

const Position = z.tuple([Lon, Lat]);
export const PlannedPlace = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position).min(4)).min(1) }),
]);
export type PlannedPlace = z.infer<typeof PlannedPlace>;

/** What a calendar entry says: a planned event, its place, its time and expected attendance (a number, no names). */
export const PlannedEventFields = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: PlannedKind,
    start: EpochMs,
    end: EpochMs,
    attendance: z.number().int().nonnegative().optional(),
    location: z.string().max(300).optional(),
    place: PlannedPlace,
    /** STATUS:CANCELLED: still listed (shown as cancelled), never a clash, no effect on indicator thresholds. */
    cancelled: z.boolean().optional(),
  })
  .refine((e) => e.end > e.start, { message: 'the end must come after the start', path: ['end'] });
export type PlannedEventFields = z.infer<typeof PlannedEventFields>;

export const PlannedEvent = z.object({
  id: z.string(),
  title: z.string(),
  kind: PlannedKind,
  start: EpochMs,
  end: EpochMs,
  attendance: z.number().int().optional(),
  location: z.string().optional(),
  place: PlannedPlace,
  /** ics, csv, geojson or manual. */
  source: z.string(),
  cancelled: z.boolean().optional(),
  /** One occurrence of a recurring entry: the entry's id (edit and delete act on the whole series). */
  seriesId: z.string().optional(),
});
export type PlannedEvent = z.infer<typeof PlannedEvent>;

export const Clash = z.object({
  a: PlannedEvent,
  b: PlannedEvent,
  /** `nearby`: two events at the same time within the clash distance; `works`: an event on roadworks or a closure. */
  reason: z.enum(['nearby', 'works']),
  distanceM: z.number(),
  from: EpochMs,
  to: EpochMs,
});
export type Clash = z.infer<typeof Clash>;
