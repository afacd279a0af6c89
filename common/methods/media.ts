import { z } from 'zod';
import { ANY_ROLE, SUPERVISOR_ROLES } from '../domain/roles';
import { MediaContent, MediaItem } from '../domain/media';
import { method } from './method';

/**
 * Which screen asks: the wall display (issue 16b) says 'wall', and sees citizen media only where
 * the machine policy's citizenMedia.wallDisplay allows it.
 */
const Display = z.enum(['desk', 'wall']).default('desk');
const Target = z.object({ incidentId: z.string().min(1).max(300), index: z.number().int().min(0).max(7), display: Display });

/**
 * Citizen photos and videos of a report (issue 22). Listing says what there is and what this
 * caller may see (never an address); opening fetches from the feed's own host, cleans the file of
 * its metadata and journals the consultation. A role without the right is told "hidden".
 */
export const mediaMethods = {
  'media.list': method({
    params: z.object({ incidentId: z.string().min(1).max(300), display: Display }),
    result: z.array(MediaItem),
    roles: ANY_ROLE,
    summary: 'The photos and videos of an incident, and which of them this role may see',
  }),
  'media.open': method({
    params: Target,
    result: MediaContent,
    roles: ANY_ROLE,
    summary: 'One photo or video of an incident, cleaned of its metadata (journaled as a consultation)',
  }),
  'media.markThirdParty': method({
    params: Target.omit({ display: true }).extend({ thirdParty: z.boolean() }),
    result: z.array(MediaItem),
    roles: SUPERVISOR_ROLES,
    writes: true,
    // The cleaned copy and the mark live in this seat's cache: a hub relays no citizen media.
    replicates: 'seat',
    summary: 'Marks a picture as showing a third party (hidden from operators) or clears the mark (journaled)',
  }),
} as const;
