import { z } from 'zod';
import { Indicator, IndicatorAlert, IndicatorReading } from '../domain/indicator';
import { DESK_ROLES, SUPERVISOR_ROLES, type Role } from '../domain/roles';
import { method } from './method';

/** Who edits indicators, thresholds and reflex sheets. */
const EDIT_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * District indicators (counts per area only), their alerts and reflex sheets. Their writes stay on
 * their seat (`replicates: 'seat'`): each seat counts and raises its own alerts from the shared picture.
 */
export const indicatorMethods = {
  'indicators.list': method({
    params: z.object({}).prefault({}),
    result: z.array(Indicator),
    roles: DESK_ROLES,
    summary: 'The indicators, their thresholds and reflex sheets',
  }),
  'indicators.save': method({
    params: z.object({ indicators: z.array(Indicator).max(200) }),
    result: z.array(Indicator),
    roles: EDIT_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Replace the indicators (supervisor or admin)',
  }),
  'indicators.readings': method({
    params: z.object({}).prefault({}),
    result: z.array(IndicatorReading),
    roles: DESK_ROLES,
    summary: 'Counts per district for each indicator, with the usual level (a consultation: journaled)',
  }),
  'indicators.alerts': method({
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).prefault({}),
    result: z.array(IndicatorAlert),
    roles: DESK_ROLES,
    summary: 'Latest indicator alerts, most recent first',
  }),
  'indicators.acknowledge': method({
    params: z.object({ seq: z.number().int() }),
    result: IndicatorAlert,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Acknowledge an indicator alert (supervisor)',
  }),
} as const;
