import { parentPort, workerData } from 'node:worker_threads';
import { runCheck, type CheckInput } from './check';
import { findModel } from './registry';

/**
 * Runs one forecast check off the service's thread (see runCheckOffThread): a check on tens of
 * thousands of incidents takes tens of seconds, which must not stall feeds and calls.
 */
const input = workerData as Omit<CheckInput, 'model' | 'pause'> & { modelName: string };
runCheck({ ...input, model: findModel(input.modelName), pause: async () => undefined }).then(
  (outcome) => parentPort!.postMessage({ ok: true, outcome }),
  (error: Error) => parentPort!.postMessage({ ok: false, error: error.message }),
);
