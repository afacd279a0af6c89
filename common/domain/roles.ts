import { z } from 'zod';

/** Who may call what. The mapping from a person to a role comes from the policy IT deploys. */
export const ROLES = ['operator', 'supervisor', 'trainer', 'auditor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Every role that works the live picture (reads incidents, feeds, the map). */
export const ANY_ROLE: readonly Role[] = ROLES;
export const DESK_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer', 'admin'];
