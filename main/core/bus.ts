import type { EventName, EventPayload } from '../../common/events';
import { log } from './log';

const logger = log('bus');

type Listener = (event: EventName, payload: unknown) => void;

/** Pushed events, fanned out to every connected window by the host. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        // One broken window must not stop the others from hearing about an incident.
        logger.error({ err: error, event }, 'a listener failed');
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
