import type { trainingMethods } from '../../../common/methods/training';
import { RpcError } from '../../../common/rpc';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';
import { buildDebrief, debriefCsv, debriefHtml } from '../training/debrief';

export function trainingHandlers(core: VigieCore): DomainHandlers<typeof trainingMethods> {
  return {
    'training.inject': ({ record }) => {
      // Never into live data: only a sandbox profile takes injections.
      if (!core.training) throw new RpcError('unavailable', 'this profile is not a training sandbox: create one with `vigie sandbox create`');
      try {
        core.training.runner.inject(record);
      } catch (error) {
        throw new RpcError('bad_request', `the injection is not a valid record: ${(error as Error).message}`);
      }
      return { injected: true as const };
    },
    'training.debrief': (_params, ctx) => {
      if (!core.training) throw new RpcError('unavailable', 'this profile is not a training sandbox: a debrief is made from a sandbox (`vigie sandbox create`)');
      const d = buildDebrief(core.profileDir);
      core.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'training.debrief', target: `sandbox:${d.day}`, origin: ctx.origin });
      return { html: debriefHtml(d), csv: debriefCsv(d.rows), rows: d.rows.length };
    },
  };
}
