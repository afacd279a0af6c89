import { z } from 'zod';
import { SyncStatus } from '../domain/sync';
import { DESK_ROLES } from '../domain/roles';
import { method } from './method';

/** A workstation of a hub: its pending actions and the conflicts the hub decided against it. */
export const syncMethods = {
  'sync.status': method({
    params: z.object({}).prefault({}),
    result: SyncStatus,
    roles: DESK_ROLES,
    summary: 'Hub connection, actions waiting for the hub, and refused actions with the reason',
  }),
  'sync.dismiss': method({
    params: z.object({ uid: z.string().min(1) }),
    result: SyncStatus,
    roles: DESK_ROLES,
    summary: 'Hide a refused action once its author has read why',
  }),
} as const;
