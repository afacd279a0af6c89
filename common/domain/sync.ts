import { z } from 'zod';

/** An action this workstation made that the hub has not decided yet. */
export const PendingAction = z.object({
  uid: z.string(),
  t: z.number(),
  method: z.string(),
  /** What it is about (an incident id, an annotation id, a unit). */
  target: z.string(),
});
export type PendingAction = z.infer<typeof PendingAction>;

/** An action of this workstation that the hub refused, with why: shown to its author until dismissed. */
export const SyncConflict = z.object({
  uid: z.string(),
  t: z.number(),
  method: z.string(),
  target: z.string(),
  code: z.enum(['already_closed', 'unit_taken', 'annotation_edited', 'refused']),
  /** The hub's sentence (English); the screen words the known codes in its own language from `details`. */
  message: z.string(),
  details: z.record(z.string(), z.string()),
  decidedAt: z.number(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

/** Where this workstation stands with its hub ("standalone": it has none). */
export const SyncStatus = z.object({
  mode: z.enum(['standalone', 'online', 'offline']),
  workstation: z.string().nullable(),
  /** The hub it is connected to, or last tried. */
  hub: z.string().nullable(),
  /** The last entry of the hub's stream applied here. */
  cursor: z.number(),
  pending: z.array(PendingAction),
  conflicts: z.array(SyncConflict),
  /** Why the last connection attempt failed, when offline. */
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;
