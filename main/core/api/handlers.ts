import type { Handlers } from '../dispatch';

/** The handlers of one domain's methods (`typeof incidentMethods` → their handlers). */
export type DomainHandlers<Methods> = Pick<Handlers, keyof Methods & keyof Handlers>;
