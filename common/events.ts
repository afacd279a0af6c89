import { z } from 'zod';
import { Incident } from './domain/incident';
import { FeedStatus } from './domain/feed';

/** Everything the data service pushes to connected windows, without being asked. */
export const events = {
  'incident.changed': z.object({ incident: Incident }),
  'feed.status': z.object({ feed: FeedStatus }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
