import { z } from 'zod';
import { PICTURE_ROLES } from '../domain/roles';
import { Alert, Camera, TrailPoint, Unit } from '../domain/entities';
import { SensorFields } from '../domain/sensor';
import { method } from './method';

/** The rest of the live picture: units and their trails, cameras, CAP alerts. */
export const pictureMethods = {
  'units.list': method({
    params: z.object({}).prefault({}),
    result: z.array(Unit),
    roles: PICTURE_ROLES,
    summary: 'Units with their last known position and status',
  }),
  'units.trails': method({
    params: z.object({ minutes: z.number().min(1).max(24 * 60).default(15) }).prefault({}),
    result: z.record(z.string(), z.array(TrailPoint)),
    roles: PICTURE_ROLES,
    summary: 'Positions of every unit over the last N minutes, oldest first',
  }),
  'cameras.list': method({
    params: z.object({}).prefault({}),
    result: z.array(Camera),
    roles: PICTURE_ROLES,
    summary: 'Cameras with position, view cone and status',
  }),
  'sensors.list': method({
    params: z.object({}).prefault({}),
    result: z.array(SensorFields.extend({ id: z.string(), feedId: z.string() })),
    roles: PICTURE_ROLES,
    summary: 'The latest reading of every sensor datastream',
  }),
  'alerts.list': method({
    params: z.object({ includeEnded: z.boolean().default(false) }).prefault({}),
    result: z.array(Alert),
    roles: PICTURE_ROLES,
    summary: 'Current CAP alerts (not expired, not cancelled or replaced)',
  }),
} as const;
