import { z } from 'zod';
import { ANY_ROLE } from '../domain/roles';
import { Alert, Camera, TrailPoint, Unit } from '../domain/entities';
import { SensorFields } from '../domain/sensor';
import { method } from './method';

/** The rest of the live picture: units and their trails, cameras, CAP alerts. */
export const pictureMethods = {
  'units.list': method({
    params: z.object({}).prefault({}),
    result: z.array(Unit),
    roles: ANY_ROLE,
    summary: 'Units with their last known position and status',
  }),
  'units.trails': method({
    params: z.object({ minutes: z.number().min(1).max(24 * 60).default(15) }).prefault({}),
    result: z.record(z.string(), z.array(TrailPoint)),
    roles: ANY_ROLE,
    summary: 'Positions of every unit over the last N minutes, oldest first',
  }),
  'cameras.list': method({
    params: z.object({}).prefault({}),
    result: z.array(Camera),
    roles: ANY_ROLE,
    summary: 'Cameras with position, view cone and status',
  }),
  'sensors.list': method({
    params: z.object({}).prefault({}),
    result: z.array(SensorFields.extend({ id: z.string(), feedId: z.string() })),
    roles: ANY_ROLE,
    summary: 'The latest reading of every sensor datastream',
  }),
  'alerts.list': method({
    params: z.object({ includeEnded: z.boolean().default(false) }).prefault({}),
    result: z.array(Alert),
    roles: ANY_ROLE,
    summary: 'Current CAP alerts (not expired, not cancelled or replaced)',
  }),
} as const;
