import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { WireMessage } from '../../common/rpc';
import { VigieCore } from '../core/core';
import { hubLinkFromConfig, type WorkstationOptions } from '../core/hub/workstation';
import { loadProfileConfig } from '../core/config';
import { readSandbox } from '../core/training/sandbox';
import { dispatch, type CallContext } from '../core/rpc';
import { defaultProfileDir } from './profile';
import { configureLogging, log } from '../core/log';
import { keepProcessUp } from '../core/net/guard';
import { EXIT_REFUSED_DATABASE, refusalOf } from './serviceRefusal';
import { eventForRole } from '../core/policy/roleView';

/**
 * Entry of the data service when Electron's main process forks it (utilityProcess.fork). Each
 * window gets its own MessagePort, handed over by main; the service never sees Electron itself.
 */
interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('main/host/service.ts is the data service for the Electron app; run `vigie serve` for browser mode.');
  process.exit(2);
}

keepProcessUp('service');
const { values } = parseArgs({ options: { profile: { type: 'string' }, 'no-demo': { type: 'boolean' }, policy: { type: 'string' }, 'credentials-from-main': { type: 'boolean' } }, strict: false });
const profileDir = path.resolve(typeof values.profile === 'string' ? values.profile : defaultProfileDir());
// A packaged app has no terminal: its service logs to <profile>/logs (warnings and errors still to stderr).
configureLogging({ dir: path.join(profileDir, 'logs'), name: 'service' });
const logger = log('service');
// Identity under Electron is the OS user; the role comes from what IT deployed (core.roleAnswer:
// machine policy, then role policy file), supervisor on a single-desk install. Someone a deployed
// policy does not know gets a service that refuses every call with the reason.
const user = os.userInfo().username;
let core: VigieCore;
try {
  // A workstation of a hub (config.json "hub"): the shared actions go through it (docs/hub.md); a sandbox never joins.
  const hub: WorkstationOptions | null = readSandbox(profileDir) ? null : hubLinkFromConfig({ config: loadProfileConfig(profileDir), profileDir });
  core = new VigieCore(profileDir, { profileDir, demo: values['no-demo'] !== true, ...(typeof values.policy === 'string' ? { rolePolicyFile: values.policy } : {}), ...(hub ? { hub } : {}) });
} catch (error) {
  logger.fatal({ profileDir }, (error as Error).message);
  // A refused database would be refused again at every restart: tell main, which shows a dialog instead.
  const refusal = refusalOf(error, profileDir);
  if (!refusal) process.exit(2);
  parentPort.postMessage(refusal);
  // Exit once the message is on its way, and run nothing more of this file meanwhile.
  await new Promise<never>(() => setImmediate(() => process.exit(EXIT_REFUSED_DATABASE)));
  throw error; // not reached: the await above never resolves
}
// Feed credentials live in the OS keychain, which only Electron's main can open: with
// --credentials-from-main the feeds start when main has handed them over (or after 10 s, on the
// 0600 file, saying so), so that no feed first polls without its credential.
let started = false;
const startCore = () => {
  if (started) return;
  started = true;
  core.start();
};
if (values['credentials-from-main'] === true) {
  setTimeout(() => {
    if (started) return;
    logger.warn('The desktop app sent no feed credentials within 10 s; feeds start with the 0600 file.');
    startCore();
  }, 10_000);
} else {
  startCore();
}

parentPort.on('message', ({ data, ports }) => {
  const message = data as { type?: string; windowId?: number };
  if (message.type === 'credentials') {
    core.credentials.handOver(data);
    startCore();
    return;
  }
  if (message.type !== 'connect' || !ports[0]) return;
  const port = ports[0];
  const answer = core.roleAnswer(user, 'supervisor');
  if (!answer.role) {
    // Not known to the deployed policy: every call is refused with the reason, nothing is served.
    const why = answer.why;
    port.on('message', ({ data: request }) => {
      const id = (request as { id?: number }).id ?? 0;
      port.postMessage({ t: 'res', id, ok: false, error: { code: 'forbidden', message: why } } satisfies WireMessage);
    });
    port.start();
    return;
  }
  const ctx: CallContext = { user, role: answer.role, origin: `electron:window-${message.windowId ?? '?'}` };
  const unsubscribe = core.bus.subscribe((event, payload) => {
    // Each role is sent what its policy lets it see (a wall without free text, an auditor without the picture).
    const shown = eventForRole(ctx.role, event, payload, core.dispatchHooks.roleView?.());
    if (shown !== null) port.postMessage({ t: 'evt', event, payload: shown as typeof payload } satisfies WireMessage);
  });
  port.on('message', async ({ data: request }) => {
    const reply = await dispatch(core.api, request, ctx, core.dispatchHooks);
    if (reply) port.postMessage(reply);
  });
  port.on('close', unsubscribe);
  port.start();
});
parentPort.postMessage({ type: 'ready', profileDir });
logger.info({ profileDir, user, version: core.version }, 'data service started');

const stop = async () => {
  await core.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
