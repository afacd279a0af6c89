import { z } from 'zod';

/** Who may call what. The mapping from a person to a role comes from the policy IT deploys. */
export const ROLES = ['operator', 'supervisor', 'trainer', 'auditor', 'admin', 'wall'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Every role (who am I, journaling a consultation, replay reads, feed health). */
export const ANY_ROLE: readonly Role[] = ROLES;
/**
 * Who sees the live operational picture (incidents, units, cameras, alerts, the city map): the
 * desks and the wall. Not the auditor, whose screen is the journal (issue 16); a wall sees it
 * through the wall redaction (main/core/policy/wallRedaction.ts).
 */
export const PICTURE_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer', 'admin', 'wall'];
export const DESK_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer', 'admin'];

/** Who works incidents: acknowledge, notes, attachments, a unit's progress by radio. */
export const OPERATOR_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer'];
/** Who commits resources and decides: dispatch, close, reopen, merge, priority. Trainers act in their sandbox. */
export const SUPERVISOR_ROLES: readonly Role[] = ['supervisor', 'trainer'];
/**
 * A video wall or second screen: read-only (no method that writes names it), the picture without
 * free text or addresses. A role, not a URL mode, so that the data service enforces it: a wall
 * workstation logs in as a wall user and cannot be talked into more by its URL.
 */
export const WALL_ROLES: readonly Role[] = ['wall'];
/** Who reads the journal. */
export const JOURNAL_ROLES: readonly Role[] = ['supervisor', 'auditor', 'admin'];
