import { contextBridge, ipcRenderer } from 'electron';
import { createClient, type ClientTransport, type ConnectionState, type WireMessage } from '../common/rpc';

/**
 * Exposes `window.vigie`, the typed client of the contract, and nothing else. Messages go over a
 * MessagePort straight to the data service; main only hands the port over.
 */
const messageListeners: ((m: WireMessage) => void)[] = [];
const stateListeners: ((s: ConnectionState) => void)[] = [];
let port: MessagePort | null = null;
const queue: WireMessage[] = [];

const transport: ClientTransport = {
  send(message) {
    if (port) port.postMessage(message);
    else queue.push(message);
  },
  onMessage: (l) => messageListeners.push(l),
  onState: (l) => stateListeners.push(l),
};

ipcRenderer.on('vigie:port', (event) => {
  const next = event.ports[0];
  if (!next) return;
  if (port) {
    // The service restarted: requests in flight on the old port will never be answered.
    port.close();
    stateListeners.forEach((l) => l('closed'));
  }
  port = next;
  port.onmessage = (e: MessageEvent) => messageListeners.forEach((l) => l(e.data as WireMessage));
  port.start();
  stateListeners.forEach((l) => l('open'));
  while (queue.length > 0) port.postMessage(queue.shift());
});
ipcRenderer.send('vigie:hello');

const client = createClient(transport);
contextBridge.exposeInMainWorld('vigie', {
  call: (method: string, params?: unknown) => client.call(method as never, params as never),
  on: (event: string, listener: (payload: unknown) => void) => client.on(event as never, listener as never),
  onConnection: (listener: (state: ConnectionState) => void) => client.onConnection(listener),
});
