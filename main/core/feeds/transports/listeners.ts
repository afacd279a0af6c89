import dgram from 'node:dgram';
import net from 'node:net';
import { backoffDelayMs } from '../runner';
import { streamFrameLength, TAK_MAGIC } from '../takProtocol';
import { overLimit, StreamFeed } from './stream';

/**
 * Splits a TCP byte stream into messages, as bytes: a message is never decoded here, so binary
 * input reaches the adapter (and quarantine) as it came. Cursor on Target senders write XML events
 * back to back (often without newlines), so for `cot` an XML message ends at `</event>`, and a
 * message that starts with 0xbf is TAK protocol: streaming framing (`0xbf <length> <TakMessage>`)
 * is cut by its length, mesh framing (`0xbf 0x01 0xbf …`, one message per connection) runs to the
 * end of the connection. Other standards are newline-delimited (NDJSON, CSV lines).
 */
export class Framer {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly cot: boolean;
  private readonly end: RegExp;
  /** Bytes of a refused (oversize) streaming message still to be dropped. */
  private skip = 0;
  /** A mesh-framed message was seen: everything up to the end of the connection is that message. */
  private meshUntilEnd = false;

  constructor(
    type: string,
    private readonly limit: number,
    private readonly onMessage: (bytes: Uint8Array) => void,
    private readonly onOversize: (head: Uint8Array) => void,
  ) {
    this.cot = type === 'cot';
    this.end = this.cot ? /<\/event\s*>/g : /\r?\n/g;
  }

  push(chunk: Buffer): void {
    if (this.skip > 0) {
      const n = Math.min(this.skip, chunk.length);
      this.skip -= n;
      chunk = chunk.subarray(n);
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.meshUntilEnd) break;
      const start = this.cot ? firstNonSpace(this.buffer) : 0;
      if (start > 0) this.buffer = this.buffer.subarray(start);
      if (this.buffer.length === 0) return;
      if (this.cot && this.buffer[0] === TAK_MAGIC) {
        if (!this.takeTak()) break;
        continue;
      }
      if (!this.takeText()) break;
    }
    if (this.buffer.length > this.limit) {
      this.onOversize(this.buffer.subarray(0, 4096));
      this.buffer = Buffer.alloc(0);
      this.meshUntilEnd = false;
    }
  }

  /** One TAK protocol message off the front of the buffer; false when more bytes are needed. */
  private takeTak(): boolean {
    const frame = streamFrameLength(this.buffer);
    if (frame === 'more') return false;
    if (frame === undefined) {
      // 0xbf and ten bytes that are no varint: hand it over whole for quarantine and start afresh.
      this.onMessage(this.buffer);
      this.buffer = Buffer.alloc(0);
      return false;
    }
    if (this.buffer[frame.header] === TAK_MAGIC && frame.length === 1) {
      this.meshUntilEnd = true;
      return false;
    }
    const total = frame.header + frame.length;
    if (frame.length > this.limit) {
      this.onOversize(this.buffer.subarray(0, Math.min(4096, this.buffer.length)));
      const have = this.buffer.length;
      this.skip = Math.max(0, total - have);
      this.buffer = this.buffer.subarray(Math.min(total, have));
      return true;
    }
    if (this.buffer.length < total) return false;
    this.onMessage(this.buffer.subarray(0, total));
    this.buffer = this.buffer.subarray(total);
    return true;
  }

  /** One text message (up to `</event>` or a newline) off the front; false when none is complete. */
  private takeText(): boolean {
    // latin1 maps each byte to one character, so regex offsets are byte offsets; the delimiters
    // are ASCII, which in UTF-8 never occurs inside a multi-byte character.
    const text = this.buffer.toString('latin1');
    this.end.lastIndex = 0;
    const m = this.end.exec(text);
    if (!m) return false;
    const stop = this.cot ? m.index + m[0].length : m.index;
    const message = this.buffer.subarray(0, stop);
    this.buffer = this.buffer.subarray(m.index + m[0].length);
    if (!isBlank(message)) this.onMessage(message);
    return true;
  }

  /** The connection ended: what is left is a last message, complete or not (the adapter judges). */
  end_(): void {
    if (!isBlank(this.buffer)) this.onMessage(this.buffer);
    this.buffer = Buffer.alloc(0);
    this.meshUntilEnd = false;
  }
}

function firstNonSpace(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return i;
}

function isBlank(buf: Uint8Array): boolean {
  for (const b of buf) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
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
      socket.setKeepAlive(true, 30_000);
      const framer = new Framer(this.config.type, this.config.maxPayloadBytes, (m) => this.accept(m), (head) => this.refuse(head, overLimit(this.config.maxPayloadBytes)));
      // Bytes, never decoded here: TAK protocol is binary, and a wrong guess at text would corrupt the quarantined record.
      // Framing runs inside a guard: no input may take the listener down.
      socket.on('data', (chunk: Buffer) => this.guarded(() => framer.push(chunk), socket));
      socket.on('end', () => this.guarded(() => framer.end_(), socket));
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

  /** A framing bug must cost one connection, never the listener. */
  private guarded(fn: () => void, socket: net.Socket): void {
    try {
      fn();
    } catch (error) {
      this.failed(`a connection was dropped: ${(error as Error).message}`);
      socket.destroy();
    }
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
    // One datagram, one message, as bytes: CoT XML or a TAK protocol mesh message (the adapter tells them apart).
    socket.on('message', (msg) => {
      try {
        if (msg.byteLength > this.config.maxPayloadBytes) this.refuse(msg.subarray(0, 4096), overLimit(this.config.maxPayloadBytes));
        else this.accept(msg);
      } catch (error) {
        this.failed(`a datagram could not be handled: ${(error as Error).message}`);
      }
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
