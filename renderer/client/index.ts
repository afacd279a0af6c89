import { createClient, type VigieClient } from '../../common/rpc';
import { createWsTransport, takeToken } from './wsTransport';
import { useLocaleStore } from '../i18n/index';
import { localizedServiceError } from '../i18n/serviceErrors';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in browser mode. */
    vigie?: VigieClient;
  }
}

export class NoTokenError extends Error {}

/** The renderer never knows whether it runs in Electron or a browser: it gets a VigieClient either way. */
export function connectClient(): VigieClient {
  if (window.vigie) return withDeskLanguageErrors(window.vigie);
  const token = takeToken();
  if (!token) throw new NoTokenError('no access token');
  return withDeskLanguageErrors(createWsTransportClient(token));
}

/** Every feature shows `error.message`: here, once, a refused call's message is put in the desk's language. */
function withDeskLanguageErrors(client: VigieClient): VigieClient {
  return {
    call: ((method: never, ...params: never[]) =>
      (client.call as (m: never, ...p: never[]) => Promise<unknown>)(method, ...params).catch((error: unknown) => {
        throw localizedServiceError(error, useLocaleStore.getState().locale);
      })) as VigieClient['call'],
    on: (event, listener) => client.on(event, listener),
    onConnection: (listener) => client.onConnection(listener),
  };
}

function createWsTransportClient(token: string): VigieClient {
  return createClient(createWsTransport(token));
}
