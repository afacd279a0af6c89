import type { EventName, EventPayload } from './events';
import type { MethodName, Params, Result } from './contract';

/** The messages that cross a port or a WebSocket, in both directions. */
export type WireMessage =
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcErrorShape }
  | { t: 'evt'; event: string; payload: unknown };

export type RpcErrorCode = 'bad_request' | 'forbidden' | 'not_found' | 'unavailable' | 'internal';
export interface RpcErrorShape {
  code: RpcErrorCode;
  message: string;
}

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** What the renderer talks to: the preload's `window.vigie`, or the WebSocket client. */
export interface VigieClient {
  call<M extends MethodName>(method: M, ...params: {} extends Params<M> ? [Params<M>?] : [Params<M>]): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** A duplex channel carrying WireMessages (a MessagePort, a WebSocket). */
export interface ClientTransport {
  send(message: WireMessage): void;
  onMessage(listener: (message: WireMessage) => void): void;
  onState(listener: (state: ConnectionState) => void): void;
}

/**
 * Builds the typed client from any transport. Requests that are in flight when the transport
 * closes fail with `unavailable` rather than hanging.
 */
export function createClient(transport: ClientTransport): VigieClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let current: ConnectionState = 'connecting';

  transport.onMessage((message) => {
    if (message.t === 'res') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new RpcError(message.error.code, message.error.message));
    } else if (message.t === 'evt') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  });
  transport.onState((state) => {
    current = state;
    if (state === 'closed') {
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new RpcError('unavailable', 'The data service connection closed before it answered.'));
      }
    }
    for (const listener of stateListeners) listener(state);
  });

  return {
    call(method, ...args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        transport.send({ t: 'req', id, method, params: args[0] ?? {} });
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onConnection(listener) {
      // Late subscribers (a component mounted after the socket opened) learn the current state at once.
      listener(current);
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
