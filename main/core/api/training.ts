import type { trainingMethods } from '../../../common/methods/training';
import type { Services } from '../compose';
import type { DomainHandlers, Journal } from './handlers';
import { buildDebrief, debriefCsv, debriefHtml } from '../training/debrief';
import { UserError } from '../userError';
import { exerciseStartAt } from '../training/sandboxInfo';

export interface TrainingDeps {
  /** The sandbox's scenario runner, or null on a live profile. */
  training: Services['training'];
  audit: Journal;
  profileDir: string;
}

export function trainingHandlers({ training, audit, profileDir }: TrainingDeps): DomainHandlers<typeof trainingMethods> {
  return {
    'training.inject': ({ record }) => {
      // Never into live data: only a sandbox profile takes injections.
      if (!training) throw new UserError('this profile is not a training sandbox: create one with `vigie sandbox create`');
      try {
        training.runner.inject(record, 'trainer');
      } catch (error) {
        throw new UserError(`the injection is not a valid record: ${(error as Error).message}`, { cause: error });
      }
      return { injected: true as const };
    },
    'training.clock': () => (training ? { clock: training.runner.clockState(), startAt: exerciseStartAt(training.info) } : null),
    'training.control': (params) => {
      if (!training) throw new UserError('this profile is not a training sandbox: only an exercise has a clock to pause (`vigie sandbox create`)');
      const clock = training.runner.clock;
      if (params.action === 'pause') clock.pause();
      else if (params.action === 'resume') clock.resume();
      else clock.setSpeed(params.speed);
      return { clock: clock.state() };
    },
    'training.injections': () => (training ? training.runner.injections() : []),
    'training.debrief': (_params, ctx) => {
      if (!training) throw new UserError('this profile is not a training sandbox: a debrief is made from a sandbox (`vigie sandbox create`)');
      const d = buildDebrief(profileDir);
      audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'training.debrief', target: `sandbox:${d.day}`, origin: ctx.origin });
      return { html: debriefHtml(d), csv: debriefCsv(d.rows), rows: d.rows.length };
    },
  };
}
