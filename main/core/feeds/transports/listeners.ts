import dgram from 'node:dgram';
import net from 'node:net';
import { backoffDelayMs } from '../runner';
import { overLimit, StreamFeed } from './stream';

/**
 * Splits a TCP byte stream into messages. Cursor on Target senders write XML events back to back
 * (often without newlines), so for `cot` a message ends at `</event>`; other standards are
 * newline-delimited (NDJSON, CSV lines).
 */
export class Framer {
  private buffer = '';
  private readonly end: RegExp;

  constructor(
    type: string,
    private readonly limit: number,
    private readonly onMessage: (text: string) => void,
    private readonly onOversize: (head: string) => void,
  ) {
    this.end = type === 'cot' ? /<\/event\s*>/g : /\r?\n/g;
  }

  push(chunk: string): void {
    this.buffer += chunk;
    this.end.lastIndex = 0;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = this.end.exec(this.buffer))) {
      const stop = this.end.source.startsWith('<') ? m.index + m[0].length : m.index;
      const message = this.buffer.slice(start, stop);
      start = m.index + m[0].length;
      if (message.trim() !== '') this.onMessage(message);
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > this.limit) {
      this.onOversize(this.buffer.slice(0, 4096));
      this.buffer = '';
    }
  }

  /** The connection ended: what is left is a last message, complete or not (the adapter judges). */
  end_(): void {
    if (this.buffer.trim() !== '') this.onMessage(this.buffer);
    this.buffer = '';
  }
}

/**
 * Listens for senders that push to us over TCP (CoT from TAK servers and trackers). Each
 * connection has its own framer; a listener that cannot bind (port taken) retries with backoff.
 */
export class TcpListenerFeed extends StreamFeed {
  readonly transport = 'tcp';
  protected readonly reconnects = false;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  /** The port actually bound (differs from the config when it asks for port 0, as tests do). */
  port: number | null = null;

  protected open(): void {
    const { host, port } = this.config.listen!;
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.setEncoding('utf8');
      socket.setKeepAlive(true, 30_000);
      const framer = new Framer(this.config.type, this.config.maxPayloadBytes, (m) => this.accept(m), (head) => this.refuse(head, overLimit(this.config.maxPayloadBytes)));
      socket.on('data', (chunk: string) => framer.push(chunk));
      socket.on('end', () => framer.end_());
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
      this.alive();
    });
    server.maxConnections = 256;
    server.on('error', (error) => {
      this.server = null;
      this.port = null;
      this.failed(`cannot listen on tcp ${host}:${port}: ${error.message}`);
      if (this.stopped) return;
      this.retryTimer = setTimeout(() => this.open(), backoffDelayMs(5_000, this.attempts++));
    });
    server.listen(port, host, () => {
      this.attempts = 0;
      this.port = (server.address() as net.AddressInfo).port;
      this.alive();
    });
    this.server = server;
  }

  protected async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Listens for datagrams (CoT over UDP, often multicast on a LAN): one datagram, one message. */
export class UdpListenerFeed extends StreamFeed {
  readonly transport = 'udp';
  protected readonly reconnects = false;
  private socket: dgram.Socket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  port: number | null = null;

  protected open(): void {
    const { host, port } = this.config.listen!;
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
    socket.on('message', (msg) => {
      if (msg.byteLength > this.config.maxPayloadBytes) this.refuse(msg.subarray(0, 4096).toString('utf8'), overLimit(this.config.maxPayloadBytes));
      else this.accept(msg.toString('utf8'));
    });
    socket.on('error', (error) => {
      socket.close();
      this.socket = null;
      this.port = null;
      this.failed(`cannot listen on udp ${host}:${port}: ${error.message}`);
      if (this.stopped) return;
      this.retryTimer = setTimeout(() => this.open(), backoffDelayMs(5_000, this.attempts++));
    });
    socket.bind(port, host, () => {
      this.attempts = 0;
      this.port = socket.address().port;
      this.alive();
    });
    this.socket = socket;
  }

  protected async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
