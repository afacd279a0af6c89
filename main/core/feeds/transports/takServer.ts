import net from 'node:net';
import tls from 'node:tls';
import { Buffer } from 'node:buffer';
import { PbfWriter } from 'pbf';
import type { FeedCredential } from '../credentials';
import { overLimit, StreamFeed } from './stream';
import { Framer } from './listeners';

/** How often we ping the server (ATAK: every 15 s or so), less when the feed's window is shorter. */
const PING_MS = 15_000;
/** How long the server has to answer our protocol request (TAK protocol.txt: "at least one minute"). */
export const NEGOTIATION_TIMEOUT_MS = 60_000;

/**
 * A client of a TAK Server, the way control rooms receive their teams: we connect (TLS with a
 * client certificate on 8089, or plain TCP on 8087), read the CoT the server streams, and move the
 * connection to TAK Protocol Version 1 (protobuf streaming) when the server offers it:
 * server `t-x-takp-v` (TakProtocolSupport version="1") → we send `t-x-takp-q` (TakRequest
 * version="1") → server `t-x-takp-r` (TakResponse status="true") → protobuf from then on. A server
 * that does not offer it keeps talking XML, which is read just as well. A dropped connection is
 * reopened with backoff, and negotiation starts again.
 *
 * Config: `transport: 'takserver'`, `url: ssl://host:8089` (or `tcp://host:8087`), `type: 'cot'`.
 * The certificate is a feed credential (`vigie credentials`), never in config.json:
 * `{ "tls": { "pfx": "<PKCS#12, base64>", "passphrase": "…", "ca": "<PEM>" } }` or
 * `{ "tls": { "cert": "<PEM>", "key": "<PEM>", "ca": "<PEM>" } }`.
 */
export class TakServerFeed extends StreamFeed {
  readonly transport = 'takserver';
  protected readonly reconnects = true;
  private socket: net.Socket | null = null;
  private negotiationTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  /** What the current connection speaks: XML until the server accepts our request. */
  protocol: 'xml' | 'requested' | 'protobuf' = 'xml';
  /** Connections opened so far (the tests watch reconnection through it). */
  connections = 0;

  protected open(): void {
    const url = new URL(this.config.url!);
    const secure = url.protocol === 'ssl:' || url.protocol === 'tls:';
    const port = Number(url.port) || (secure ? 8089 : 8087);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    this.protocol = 'xml';
    let socket: net.Socket;
    try {
      socket = secure ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...tlsOptions(this.ctx.credentialFor?.(this.id), this.id) }) : net.connect({ host, port });
    } catch (error) {
      // A credential that cannot be used (wrong passphrase, not PKCS#12) fails here, before any connection.
      this.lost(`cannot connect to the TAK server ${this.where}: ${(error as Error).message}`);
      return;
    }
    this.socket = socket;
    socket.setKeepAlive(true, 30_000);
    const framer = new Framer('cot', this.config.maxPayloadBytes, (m) => this.message(m), (head) => this.refuse(head, overLimit(this.config.maxPayloadBytes)));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.connections++;
      this.alive();
      // TAK clients ping (t-x-c-t) and the server answers: a quiet team is then told from a dead link.
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(socket), Math.min(PING_MS, this.expectedWindowMs() / 3));
      this.pingTimer.unref();
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        framer.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', (hadError) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearNegotiation();
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      this.lost(`the TAK server ${this.where} closed the connection${hadError ? ' after an error (certificate refused? server down?)' : ''}; reconnecting`);
    });
  }

  /** Control messages of the negotiation are answered here; everything else goes to the adapter. */
  private message(bytes: Uint8Array): void {
    this.lastHeardAt = Date.now();
    if (bytes[0] !== 0xbf && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('t-x-takp-')) {
      const text = Buffer.from(bytes).toString('utf8');
      const type = /\btype\s*=\s*["'](t-x-takp-[a-z])["']/.exec(text)?.[1];
      if (type === 't-x-takp-v') return this.offered(text);
      if (type === 't-x-takp-r') return this.answered(text);
    }
    this.accept(bytes);
  }

  private offered(text: string): void {
    if (this.protocol !== 'xml') return;
    const versions = [...text.matchAll(/<TakProtocolSupport\b[^>]*\bversion\s*=\s*["'](\d+)["']/g)].map((m) => Number(m[1]));
    if (!versions.includes(1)) return; // only versions we cannot read: stay on XML
    const uid = /\buid\s*=\s*["']([^"']{1,200})["']/.exec(text)?.[1] ?? 'protouid';
    const now = new Date();
    const stale = new Date(now.getTime() + 60_000);
    const request =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event version="2.0" uid="${escapeXml(uid)}" type="t-x-takp-q" time="${now.toISOString()}" start="${now.toISOString()}" stale="${stale.toISOString()}" how="m-g">` +
      `<point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail><TakControl><TakRequest version="1"/></TakControl></detail></event>`;
    this.protocol = 'requested';
    this.socket?.write(request);
    this.negotiationTimer = setTimeout(() => {
      // protocol.txt: without an answer the session is in an unknown state; start again.
      this.socket?.destroy(new Error('no answer to the TAK protocol request within a minute'));
    }, NEGOTIATION_TIMEOUT_MS);
    this.negotiationTimer.unref();
  }

  private answered(text: string): void {
    if (this.protocol !== 'requested') return;
    this.clearNegotiation();
    const status = /<TakResponse\b[^>]*\bstatus\s*=\s*["'](\w+)["']/.exec(text)?.[1];
    // Refused: both sides go on in XML (protocol.txt 7b).
    this.protocol = status === 'true' ? 'protobuf' : 'xml';
  }

  /** A ping in the connection's protocol: XML before the switch, a streaming TakMessage after it (protocol.txt 7a). */
  private ping(socket: net.Socket): void {
    if (this.socket !== socket || this.protocol === 'requested') return; // no XML may follow a request
    const uid = `vigie-${this.id}`;
    if (this.protocol === 'protobuf') {
      socket.write(takPing(uid, Date.now()));
      return;
    }
    const now = new Date();
    socket.write(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event version="2.0" uid="${escapeXml(uid)}-ping" type="t-x-c-t" time="${now.toISOString()}" start="${now.toISOString()}" stale="${new Date(now.getTime() + 20_000).toISOString()}" how="h-g-i-g-o"><point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail/></event>`);
  }

  private clearNegotiation(): void {
    if (this.negotiationTimer) clearTimeout(this.negotiationTimer);
    this.negotiationTimer = null;
  }

  protected async close(): Promise<void> {
    this.clearNegotiation();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }
}

/** The TLS options of a feed's credential: a client certificate (PKCS#12 or PEM) and the CA to trust. */
export function tlsOptions(credential: FeedCredential | undefined, feedId: string): tls.ConnectionOptions {
  if (!credential || !('tls' in credential)) {
    throw new Error(`feed "${feedId}" has no client certificate; TAK servers ask for one. Set it with \`vigie credentials\` as { "tls": { "pfx": "<base64 PKCS#12>", "passphrase": "…", "ca": "<PEM>" } }`);
  }
  const c = credential.tls;
  return {
    ...(c.pfx ? { pfx: Buffer.from(c.pfx, 'base64') } : {}),
    ...(c.cert ? { cert: c.cert } : {}),
    ...(c.key ? { key: c.key } : {}),
    ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}),
    ...(c.ca ? { ca: c.ca } : {}),
    // Never turned off: a TAK server is trusted through `ca` (its own CA, as TAK deployments have), not by skipping the check.
    rejectUnauthorized: true,
  };
}

/** A TAK protocol v1 streaming ping: 0xbf, length, TakMessage { cotEvent { type t-x-c-t … } } (field numbers of cotevent.proto). */
export function takPing(uid: string, now: number): Uint8Array {
  const w = new PbfWriter();
  w.writeMessage(2, () => {
    w.writeStringField(1, 't-x-c-t');
    w.writeStringField(5, `${uid}-ping`);
    w.writeVarintField(6, now);
    w.writeVarintField(7, now);
    w.writeVarintField(8, now + 20_000);
    w.writeStringField(9, 'h-g-i-g-o');
    w.writeDoubleField(13, 999_999);
    w.writeDoubleField(14, 999_999);
  }, undefined);
  const payload = w.finish();
  const header = new PbfWriter();
  header.writeVarint(payload.length);
  return Buffer.concat([Buffer.from([0xbf]), header.finish(), payload]);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
