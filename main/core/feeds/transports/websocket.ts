import WebSocket from 'ws';
import { StreamFeed } from './stream';

/** A WebSocket stream: each text or binary message is one payload for the adapter. */
export class WebSocketFeed extends StreamFeed {
  readonly transport = 'websocket';
  protected readonly reconnects = true;
  private socket: WebSocket | null = null;

  protected open(): void {
    // Up to 4× the limit a message is received and quarantined (clipped) with a clear reason; past
    // that ws closes the connection before buffering it, and the feed reports why.
    const socket = new WebSocket(this.requestUrl, { headers: this.authHeaders(), handshakeTimeout: this.config.timeoutSeconds * 1000, maxPayload: Math.min(this.config.maxPayloadBytes * 4, 1024 ** 3) });
    this.socket = socket;
    socket.on('open', () => this.alive());
    socket.on('ping', () => this.alive());
    socket.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.accept(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
    });
    let reported = false;
    const lose = (why: string) => {
      if (reported || this.socket !== socket) return;
      reported = true;
      this.socket = null;
      this.lost(why);
    };
    socket.on('error', (error) => lose(`WebSocket ${this.where}: ${error.message}`));
    socket.on('close', (code, reason) =>
      lose(code === 1009 ? `a message over maxPayloadBytes (${this.config.maxPayloadBytes}) closed the connection; reconnecting` : `WebSocket ${this.where} closed (${code}${reason.length ? ` ${reason.toString()}` : ''}); reconnecting`),
    );
  }

  protected async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once('close', () => resolve());
      socket.terminate();
    });
  }
}
