import { z } from 'zod';
import { Incident } from './domain/incident';
import { FeedStatus } from './domain/feed';
import { Alert, Camera, Unit } from './domain/entities';
import { Assignment } from './domain/dispatch';
import { Annotation, GeofenceAlert } from './domain/annotation';
import { IndicatorAlert } from './domain/indicator';
import { SyncStatus } from './domain/sync';
import { Alarm } from './domain/alarm';
import { ExerciseClock } from './domain/exercise';

/** Everything the data service pushes to connected windows, without being asked. */
export const events = {
  'incident.changed': z.object({ incident: Incident }),
  'feed.status': z.object({ feed: FeedStatus }),
  /** One push per feed batch: units move often and together. */
  'units.changed': z.object({ units: z.array(Unit) }),
  'camera.changed': z.object({ camera: Camera }),
  'alert.changed': z.object({ alert: Alert }),
  'assignment.changed': z.object({ assignment: Assignment }),
  'annotation.changed': z.object({ annotation: Annotation }),
  'geofence.alert': z.object({ alert: GeofenceAlert }),
  /** Several incidents changed in one feed batch: one push, not one per incident (a busy stream sends thousands a second). */
  'incidents.changed': z.object({ incidents: z.array(Incident) }),
  /** A feed was removed from the configuration. */
  'feed.removed': z.object({ id: z.string() }),
  /** Raised, or acknowledged (same seq, with acknowledgedBy). */
  'indicator.alert': z.object({ alert: IndicatorAlert }),
  /** The events calendar changed (import, entry, edit, removal): windows reload it. */
  'calendar.changed': z.object({ at: z.number() }),
  /** Aggregated signal buckets were stored: windows showing the layer reload them through signals.readings (which applies k); no count travels here. */
  'signals.changed': z.object({ feedId: z.string(), at: z.number() }),
  /** A workstation of a hub: connection, pending actions or conflicts changed. */
  'sync.changed': z.object({ status: SyncStatus }),
  /** An alarm was raised, grew (a member joined its group), escalated or changed state. */
  'alarm.changed': z.object({ alarm: Alarm }),
  /** A training sandbox's exercise clock was paused, resumed or its speed changed: windows re-anchor their clock. */
  'training.clock': z.object({ clock: ExerciseClock }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
