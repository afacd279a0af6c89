import { z } from 'zod';

/** Who may call what. The mapping from a person to a role comes from the policy IT deploys. */
export const ROLES = ['operator', 'supervisor', 'trainer', 'auditor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Every role that works the live picture (reads incidents, feeds, the map). */
export const ANY_ROLE: readonly Role[] = ROLES;
export const DESK_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer', 'admin'];

/** Who works incidents: acknowledge, notes, attachments, a unit's progress by radio. */
export const OPERATOR_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer'];
/** Who commits resources and decides: dispatch, close, reopen, merge, priority. Trainers act in their sandbox. */
export const SUPERVISOR_ROLES: readonly Role[] = ['supervisor', 'trainer'];
/** Who reads the journal. */
export const JOURNAL_ROLES: readonly Role[] = ['supervisor', 'auditor', 'admin'];
