import { z } from 'zod';
import { Alarm, AlarmPolicy } from '../domain/alarm';
import { DESK_ROLES, OPERATOR_ROLES } from '../domain/roles';
import { method } from './method';

const ById = z.object({ id: z.number().int().min(1) });

/**
 * The one alarm queue (docs/supervisor.md). Its writes stay on their seat (`replicates: 'seat'`):
 * each seat raises its alarms from the shared picture it receives, as it does its indicator
 * alerts, and an alarm is the attention of the people at that desk; the shared act on the thing
 * itself (acknowledging the incident, dispatching) is the hub write.
 */
export const alarmMethods = {
  'alarms.list': method({
    params: z.object({ includeClosed: z.boolean().default(false) }).prefault({}),
    result: z.object({ alarms: z.array(Alarm), policy: AlarmPolicy }),
    roles: DESK_ROLES,
    summary: 'The alarms still open (or the latest closed too), with the room\'s sound and escalation policy',
  }),
  'alarms.seen': method({
    params: ById,
    result: Alarm,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Mark an alarm seen (the person selected it in the queue)',
  }),
  'alarms.ack': method({
    params: ById,
    result: Alarm,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Acknowledge an alarm: its escalation stops',
  }),
  'alarms.close': method({
    params: ById.extend({ reason: z.string().max(500).optional() }),
    result: Alarm,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Close an alarm: it leaves the queue',
  }),
} as const;
