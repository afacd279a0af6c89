import type { indicatorMethods } from '../../../common/methods/indicators';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function indicatorHandlers(core: VigieCore): DomainHandlers<typeof indicatorMethods> {
  const s = core.indicators;
  return {
    'indicators.list': () => s.list(),
    'indicators.save': ({ indicators }, ctx) => s.save(ctx, indicators),
    'indicators.readings': (_params, ctx) => {
      core.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'indicators.readings', target: 'districts', origin: ctx.origin });
      return s.readings();
    },
    'indicators.alerts': ({ limit }) => s.alerts(limit),
    'indicators.acknowledge': ({ seq }, ctx) => s.acknowledge(ctx, seq),
  };
}
