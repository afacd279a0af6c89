import type { trainingMethods } from '../../../common/methods/training';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function trainingHandlers(core: VigieCore): DomainHandlers<typeof trainingMethods> {
  return {
    'training.inject': ({ record }) => {
      // Never into live data: only a sandbox profile takes injections.
      if (!core.training) throw new Error('this profile is not a training sandbox: create one with `vigie sandbox create`');
      try {
        core.training.runner.inject(record);
      } catch (error) {
        throw new Error(`the injection is not a valid record: ${(error as Error).message}`, { cause: error });
      }
      return { injected: true as const };
    },
  };
}
