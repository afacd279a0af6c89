import { z } from 'zod';

// The calendar's configuration, apart from its parsers: the machine policy and config.ts read it
// (Electron main too, to place windows at start) without loading ical.js.

/** Marseille's; a city elsewhere sets calendar.timeZone. */
export const DEFAULT_CITY_ZONE = 'Europe/Paris';

/** Whether the runtime knows this IANA zone name. */
export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CalendarConfig = z.object({
  /** The city's IANA zone: floating and all-day times in agendas are read in it. */
  timeZone: z.string().refine(isIanaZone, 'not a known IANA time zone (e.g. Europe/Paris)').default(DEFAULT_CITY_ZONE),
  /** Two events at the same time closer than this clash. */
  clashDistanceM: z.number().min(0).max(20_000).default(500),
  /** Agendas polled over HTTP (the city's .ics feed, a CSV or GeoJSON export). */
  feeds: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), url: z.string().url(), format: z.enum(['ics', 'csv', 'geojson']).default('ics'), intervalSeconds: z.number().min(1).max(86_400).default(3600) }))
    .default([]),
}).prefault({});
export type CalendarConfig = z.infer<typeof CalendarConfig>;
