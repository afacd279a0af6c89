import { z } from 'zod';
import { ANY_ROLE, DESK_ROLES } from '../domain/roles';
import { EpochMs, Incident } from '../domain/incident';
import { Alert, Camera, TrailPoint } from '../domain/entities';
import { Annotation, GeofenceAlert } from '../domain/annotation';
import { Assignment } from '../domain/dispatch';
import { Clash, PlannedEvent } from '../domain/plannedEvent';
import { IndicatorAlert } from '../domain/indicator';
import { UnitType } from '../domain/unit';
import { AreaForecast } from './forecasts';
import { method } from './method';

/** The map's layer set: which layers are shown, and each layer's opacity (0..1). */
export const LayerSet = z.object({
  visible: z.array(z.string().min(1).max(64)).max(64),
  opacity: z.record(z.string().min(1).max(64), z.number().min(0).max(1)),
});
export type LayerSet = z.infer<typeof LayerSet>;

/**
 * Everything the supervisor saw at one instant, rebuilt from the event log: incidents as they
 * stood, units where they were (with what they were, from their last identity event), CAP alerts
 * in force, camera statuses, annotations and geofence alerts, dispatches, the calendar and its
 * clashes for the coming week, indicator alerts, and the forecasts last published before then.
 */
export const PictureAt = z.object({
  at: EpochMs,
  incidents: z.array(Incident),
  units: z.array(
    z.object({
      id: z.string(),
      lon: z.number(),
      lat: z.number(),
      heading: z.number().nullable(),
      t: EpochMs,
      callsign: z.string().optional(),
      unitType: UnitType.optional(),
      status: z.string().optional(),
      routeId: z.string().optional(),
    }),
  ),
  trails: z.record(z.string(), z.array(TrailPoint)),
  alerts: z.array(Alert),
  cameras: z.array(Camera),
  annotations: z.array(Annotation),
  geofenceAlerts: z.array(GeofenceAlert),
  assignments: z.array(Assignment),
  calendar: z.object({ events: z.array(PlannedEvent), clashes: z.array(Clash) }),
  indicatorAlerts: z.array(IndicatorAlert),
  /** The last forecast published at or before the instant, per horizon (hours → forecast). */
  forecasts: z.record(z.string(), AreaForecast),
  /** The layer set shown then (the caller's own, else the last anyone recorded on this profile); null: none recorded by then. */
  layers: LayerSet.nullable(),
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
    summary: 'The first and last instants the event log covers (layer sets, a way of looking at a day, aside)',
  }),
  'replay.pictureAt': method({
    params: z.object({ at: EpochMs, trailMinutes: z.number().int().min(0).max(240).default(15) }),
    result: PictureAt,
    roles: ANY_ROLE,
    summary: 'The whole picture as it was at an instant: incidents, units, trails, alerts, cameras, annotations, dispatches, calendar, indicator alerts, forecasts, the layer set',
  }),
  'replay.nextEvent': method({
    /** `back`: the last such event strictly before `at` instead (Shift+R). */
    params: z.object({ at: EpochMs, back: z.boolean().default(false) }),
    result: EpochMs.nullable(),
    roles: ANY_ROLE,
    summary: 'When the next event that changed the picture (incident, alert, annotation, dispatch…) happened after an instant',
  }),
  /**
   * A view change, kept so replay can show it, not an operational decision: logged as an event
   * (like a bookmark, not journaled). The renderer sends it debounced, and only live.
   */
  'layers.record': method({
    params: LayerSet,
    result: z.object({ recorded: z.boolean() }),
    roles: DESK_ROLES,
    summary: 'Records the layer set the caller now shows on the map (skipped when it is the one last recorded)',
    writes: true,
    replicates: 'seat',
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
    replicates: 'seat',
  }),
  'replay.removeBookmark': method({
    params: z.object({ id: z.string() }),
    result: z.object({ removed: z.boolean() }),
    roles: DESK_ROLES,
    summary: 'Removes a replay bookmark',
    writes: true,
    replicates: 'seat',
  }),
} as const;
