import type { indicatorMethods } from '../../../common/methods/indicators';
import type { IndicatorService } from '../indicators/indicators';
import type { Journal } from './handlers';
import type { DomainHandlers } from './handlers';

export interface IndicatorDeps {
  indicators: Pick<IndicatorService, 'list' | 'save' | 'readings' | 'alerts' | 'acknowledge'>;
  audit: Journal;
}

export function indicatorHandlers({ indicators: s, audit }: IndicatorDeps): DomainHandlers<typeof indicatorMethods> {
  return {
    'indicators.list': () => s.list(),
    'indicators.save': ({ indicators }, ctx) => s.save(ctx, indicators),
    'indicators.readings': (_params, ctx) => {
      audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'indicators.readings', target: 'districts', origin: ctx.origin });
      return s.readings();
    },
    'indicators.alerts': ({ limit }) => s.alerts(limit),
    'indicators.acknowledge': ({ seq }, ctx) => s.acknowledge(ctx, seq),
  };
}
