import type { Handlers } from '../rpc';
import type { Store } from '../store';

/** The handlers of one domain's methods (`typeof incidentMethods` → their handlers). */
export type DomainHandlers<Methods> = Pick<Handlers, keyof Methods & keyof Handlers>;

/** The audit journal, as handlers write to it: one consultation or refused action at a time. */
export type Journal = Pick<Store['audit'], 'append'>;
