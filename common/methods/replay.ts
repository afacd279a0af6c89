import { z } from 'zod';
import { ANY_ROLE, DESK_ROLES } from '../domain/roles';
import { EpochMs, Incident } from '../domain/incident';
import { TrailPoint } from '../domain/entities';
import { method } from './method';

export const PictureAt = z.object({
  at: EpochMs,
  incidents: z.array(Incident),
  units: z.array(z.object({ id: z.string(), lon: z.number(), lat: z.number(), heading: z.number().nullable(), t: EpochMs })),
  trails: z.record(z.string(), z.array(TrailPoint)),
});
export type PictureAt = z.infer<typeof PictureAt>;

/** A labelled instant of the replay timeline, kept in the profile (so a sandbox has its own). */
export const Bookmark = z.object({ id: z.string(), at: EpochMs, label: z.string(), createdBy: z.string(), createdAt: EpochMs });
export type Bookmark = z.infer<typeof Bookmark>;

/** Replay: the picture as it was at any instant, rebuilt from the event log. */
export const replayMethods = {
  'replay.range': method({
    params: z.object({}).prefault({}),
    result: z.object({ first: EpochMs.nullable(), last: EpochMs.nullable() }),
    roles: ANY_ROLE,
    summary: 'The first and last instants the event log covers',
  }),
  'replay.pictureAt': method({
    params: z.object({ at: EpochMs, trailMinutes: z.number().int().min(0).max(240).default(15) }),
    result: PictureAt,
    roles: ANY_ROLE,
    summary: 'Incidents, units and trails as they were at an instant',
  }),
  'replay.nextEvent': method({
    params: z.object({ at: EpochMs }),
    result: EpochMs.nullable(),
    roles: ANY_ROLE,
    summary: 'When the next incident event after an instant happened',
  }),
  'replay.bookmarks': method({
    params: z.object({}).prefault({}),
    result: z.array(Bookmark),
    roles: ANY_ROLE,
    summary: 'The replay bookmarks of this profile, in time order',
  }),
  'replay.addBookmark': method({
    params: z.object({ at: EpochMs, label: z.string().trim().min(1).max(120) }),
    result: Bookmark,
    roles: DESK_ROLES,
    summary: 'Bookmarks an instant of the replay timeline with a label',
    writes: true,
  }),
  'replay.removeBookmark': method({
    params: z.object({ id: z.string() }),
    result: z.object({ removed: z.boolean() }),
    roles: DESK_ROLES,
    summary: 'Removes a replay bookmark',
    writes: true,
  }),
} as const;
