import type { alarmMethods } from '../../../common/methods/alarms';
import type { AlarmService } from '../alarms/alarms';
import type { DomainHandlers } from './handlers';

export interface AlarmDeps {
  alarms: Pick<AlarmService, 'list' | 'policy' | 'seen' | 'acknowledge' | 'close'>;
}

export function alarmHandlers({ alarms }: AlarmDeps): DomainHandlers<typeof alarmMethods> {
  return {
    'alarms.list': ({ includeClosed }) => ({ alarms: alarms.list(includeClosed), policy: alarms.policy() }),
    'alarms.seen': ({ id }, ctx) => alarms.seen(ctx, id),
    'alarms.ack': ({ id }, ctx) => alarms.acknowledge(ctx, id),
    'alarms.close': ({ id, reason }, ctx) => alarms.close(ctx, id, reason),
  };
}
