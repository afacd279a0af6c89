import type { signalMethods } from '../../../common/methods/signals';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function signalHandlers(core: VigieCore): DomainHandlers<typeof signalMethods> {
  return {
    'signals.readings': ({ from, to }, ctx) => {
      const until = to ?? Date.now();
      core.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'signals.readings', target: 'areas', origin: ctx.origin });
      return core.signals.readings(from ?? until - 3_600_000, until);
    },
    'signals.import': ({ feedId, body }, ctx) => {
      const outcome = core.signals.ingest(feedId, body);
      core.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'signals.import', target: feedId, origin: ctx.origin });
      return outcome;
    },
  };
}
