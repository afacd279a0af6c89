import { createClient, type VigieClient } from '../../common/rpc';
import { createWsTransport, takeToken } from './wsTransport';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in browser mode. */
    vigie?: VigieClient;
  }
}

export class NoTokenError extends Error {}

/** The renderer never knows whether it runs in Electron or a browser: it gets a VigieClient either way. */
export function connectClient(): VigieClient {
  if (window.vigie) return window.vigie;
  const token = takeToken();
  if (!token) throw new NoTokenError('no access token');
  return createWsTransportClient(token);
}

function createWsTransportClient(token: string): VigieClient {
  return createClient(createWsTransport(token));
}
