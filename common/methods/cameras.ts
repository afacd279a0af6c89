import { z } from 'zod';
import { Camera } from '../domain/entities';
import { DESK_ROLES } from '../domain/roles';
import { method } from './method';

/**
 * Looking at a camera is a consultation (Directive 2016/680 art. 25): opening its details and
 * opening its stream each write a row to the journal, in the service, before anything is shown.
 * Vigie never plays, analyses or recognises what a camera sees; it hands the stream's address to
 * the control room's video system.
 */
export const cameraMethods = {
  'cameras.view': method({
    params: z.object({ id: z.string().min(1).max(300) }),
    result: Camera,
    roles: DESK_ROLES,
    summary: 'One camera’s details (journaled as a consultation)',
  }),
  'cameras.stream': method({
    params: z.object({ id: z.string().min(1).max(300) }),
    result: z.object({ id: z.string(), url: z.string() }),
    roles: DESK_ROLES,
    summary: 'The address of a camera’s stream, for the video system (journaled as a consultation)',
  }),
} as const;
