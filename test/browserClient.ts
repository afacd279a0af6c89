import WebSocket from 'ws';
import { createClient, type ClientTransport, type WireMessage } from '../common/rpc';

/** A browser-mode WebSocket with the given token and Origin, as the page opens it; rejects with the HTTP status when refused. */
export function connect(port: number, token: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The contract's client over that socket, as the renderer's WebSocket client speaks it. */
export function clientOver(ws: WebSocket) {
  const transport: ClientTransport = {
    send: (m) => ws.send(JSON.stringify(m)),
    onMessage: (l) => ws.on('message', (data) => l(JSON.parse(data.toString()) as WireMessage)),
    onState: (l) => ws.on('close', () => l('closed')),
  };
  return createClient(transport);
}
