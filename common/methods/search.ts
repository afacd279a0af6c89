import { z } from 'zod';
import { Lat, Lon } from '../domain/incident';
import { DESK_ROLES } from '../domain/roles';
import { method } from './method';

/** What the search box finds: everything that can be placed on the map. */
export const SEARCH_KINDS = ['address', 'street', 'place', 'district', 'stop', 'camera', 'unit', 'incident'] as const;
export const SearchKind = z.enum(SEARCH_KINDS);
export type SearchKind = z.infer<typeof SearchKind>;

export const SearchHit = z.object({
  kind: SearchKind,
  /** The entity's id for cameras, units and incidents (to open its details); a stable key otherwise. */
  id: z.string(),
  label: z.string(),
  detail: z.string().optional(),
  lon: Lon,
  lat: Lat,
  /** Higher is better; only the order means something. */
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * One search box for everything placeable (main/core/search): the city pack's streets, house
 * numbers, places, districts and stops, and the live cameras, units and incidents. Offline: the
 * index is in the data service. A search that returns incidents is a consultation, journaled.
 */
export const searchMethods = {
  'search.query': method({
    params: z.object({
      q: z.string().trim().min(1, 'type something to search').max(200),
      limit: z.number().int().min(1).max(50).default(10),
    }),
    result: z.array(SearchHit),
    roles: DESK_ROLES,
    summary: 'Find streets, addresses, places, districts, stops, cameras, units and incidents (journaled when it finds incidents)',
  }),
} as const;
