import type { ClientTransport, ConnectionState, WireMessage } from '../../common/rpc';

const TOKEN_KEY = 'vigie.token';

/**
 * Browser mode's access token: taken from the URL once, kept for the tab's life in sessionStorage,
 * and removed from the address bar so it does not end up in screenshots or history.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A WebSocket that reconnects with backoff; messages sent while down wait for the next open. */
export function createWsTransport(token: string): ClientTransport {
  const messageListeners: ((m: WireMessage) => void)[] = [];
  const stateListeners: ((s: ConnectionState) => void)[] = [];
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let attempt = 0;

  const setState = (state: ConnectionState) => stateListeners.forEach((l) => l(state));

  const connect = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
    setState('connecting');
    socket.onopen = () => {
      attempt = 0;
      setState('open');
      while (queue.length > 0 && socket?.readyState === WebSocket.OPEN) socket.send(queue.shift()!);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as WireMessage;
      messageListeners.forEach((l) => l(message));
    };
    socket.onclose = () => {
      setState('closed');
      const delay = Math.min(10_000, 250 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    send(message) {
      const text = JSON.stringify(message);
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: (l) => messageListeners.push(l),
    onState: (l) => stateListeners.push(l),
  };
}
