import type { EventName } from '../../../common/events';
import { PICTURE_ROLES, type Role } from '../../../common/domain/roles';

/**
 * What a role sees of what the data service sends: the results of its calls and the pushed events.
 * The contract decides which methods a role may call (rpc.ts); this decides the fields and events,
 * in one place for every transport (WebSocket, Electron port).
 *
 * - The wall (a video wall or second screen in the room, seen by anyone who walks by): the
 *   picture without free text and addresses (a caller's words, a street number), unless IT's
 *   machine policy grants them (`wall.fields`).
 * - The auditor: the journal, not the live picture; pushed picture events are not sent to them.
 */

/** Fields that may carry personal data, hidden from a wall unless granted. */
export const WALL_HIDDEN_FIELDS = ['description', 'address', 'notes', 'note', 'reporter', 'contact'] as const;
export type WallField = (typeof WALL_HIDDEN_FIELDS)[number];

/** Events a role outside the picture still receives: feed health and the link to the hub. */
const NON_PICTURE_EVENTS: ReadonlySet<string> = new Set<EventName>(['feed.status', 'feed.removed', 'sync.changed']);

/** Events the wall does not show at all (operators' drawings, geofence and dispatch details). */
const WALL_DROPPED_EVENTS: ReadonlySet<string> = new Set<EventName>(['annotation.changed', 'geofence.alert', 'assignment.changed']);

export interface RoleViewOptions {
  /** Fields of WALL_HIDDEN_FIELDS that IT's policy lets a wall show anyway. */
  wallGrants?: readonly string[];
}

function stripFields(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => stripFields(v, hidden));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!hidden.has(key)) out[key] = stripFields(v, hidden);
  }
  return out;
}

function wallHidden(options: RoleViewOptions): ReadonlySet<string> {
  const grants = new Set(options.wallGrants ?? []);
  return new Set(WALL_HIDDEN_FIELDS.filter((f) => !grants.has(f)));
}

/** A call's result as the role may see it (unchanged for every role but the wall). */
export function resultForRole(role: Role, result: unknown, options: RoleViewOptions = {}): unknown {
  return role === 'wall' ? stripFields(result, wallHidden(options)) : result;
}

/** A pushed event as the role may see it, or null when the role is not sent it. */
export function eventForRole(role: Role, event: string, payload: unknown, options: RoleViewOptions = {}): unknown {
  if (!PICTURE_ROLES.includes(role)) return NON_PICTURE_EVENTS.has(event) ? payload : null;
  if (role !== 'wall') return payload;
  if (WALL_DROPPED_EVENTS.has(event)) return null;
  return stripFields(payload, wallHidden(options));
}
