import type { EventName, EventPayload } from '../../common/events';

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
        console.error(`[bus] a listener failed on ${event}:`, error);
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
