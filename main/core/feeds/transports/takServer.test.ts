import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus';
import { FeedConfig } from '../../config';
import { Store } from '../../store';
import { loadCredentials, type FeedCredential } from '../credentials';
import { fixture } from '../fixtures/sharedData';
import { createRunner } from '../scheduler';
import type { TakServerFeed } from './takServer';
import { tempDir } from '../../../../test/helpers';
import { waitFor } from '../../../../test/feedServers';

const bin = path.resolve(import.meta.dirname, '../../../../test/vigie.mjs');

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NOTE = hasOpenssl ? '' : ' [skipped: the openssl command is absent on this machine]';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made by the openssl CLI, the client's also as PKCS#12. */
function makeCertificates(dir: string): { ca: string; serverKey: string; serverCert: string; clientPfx: Buffer; clientKey: string; clientCert: string } {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Vigie test TAK CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=takserver');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=vigie-control-room');
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
  run('pkcs12', '-export', '-in', 'client.pem', '-inkey', 'client.key', '-out', 'client.p12', '-passout', 'pass:atakatak');
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  return { ca: read('ca.pem'), serverKey: read('server.key'), serverCert: read('server.pem'), clientPfx: fs.readFileSync(path.join(dir, 'client.p12')), clientKey: read('client.key'), clientCert: read('client.pem') };
}

const root = protobuf.parse(fixture('tak/takproto-v1.proto'), { keepCase: true }).root;
const TakMessage = root.lookupType('atakmap.commoncommo.protobuf.v1.TakMessage');
/** TAK Server streaming framing: 0xbf, varint length, TakMessage (encoded by protobufjs). */
function streamFrame(uid: string, callsign: string): Buffer {
  const now = Date.now();
  const payload = TakMessage.encode(TakMessage.fromObject({
    cotEvent: { type: 'a-f-G-U-C', uid, how: 'm-g', sendTime: now - 500, startTime: now - 500, staleTime: now + 60_000, lat: 43.3, lon: 5.37, hae: 0, ce: 5, le: 5, detail: { contact: { callsign }, group: { name: 'Blue', role: 'Team Member' } } },
  })).finish();
  return Buffer.concat([Buffer.from([0xbf]), protobuf.Writer.create().uint32(payload.length).finish(), payload]);
}

/** The server's answer to a ping, in streaming framing. */
function pongFrame(): Buffer {
  const now = Date.now();
  const payload = TakMessage.encode(TakMessage.fromObject({ cotEvent: { type: 't-x-c-t-r', uid: 'takserver-pong', how: 'h-g-i-g-o', sendTime: now, startTime: now, staleTime: now + 20_000 } })).finish();
  return Buffer.concat([Buffer.from([0xbf]), protobuf.Writer.create().uint32(payload.length).finish(), payload]);
}

const xml = (type: string, uid: string, detail: string): string => {
  const now = new Date().toISOString();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="${uid}" type="${type}" time="${now}" start="${now}" stale="${now}" how="m-g"><point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail>${detail}</detail></event>`;
};

/**
 * A TAK Server stand-in on loopback: TLS demanding a client certificate from our CA; on connect it
 * sends one XML position, then offers protocol version 1; when the client requests it, answers
 * true and streams protobuf positions.
 */
function startStandIn(certs: ReturnType<typeof makeCertificates>) {
  const state = { requests: [] as string[], received: [] as string[], clientNames: [] as string[], sockets: new Set<tls.TLSSocket>() };
  const server = tls.createServer({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
    socket.on('error', () => undefined);
    state.clientNames.push(String(socket.getPeerCertificate().subject?.CN));
    const n = state.clientNames.length;
    const now = new Date();
    socket.write(`<?xml version="1.0"?><event version="2.0" uid="XML-${n}" type="a-f-G-U-C" time="${now.toISOString()}" start="${now.toISOString()}" stale="${new Date(now.getTime() + 60_000).toISOString()}" how="m-g"><point lat="43.29" lon="5.38" hae="0" ce="9" le="9"/><detail><contact callsign="Before negotiation ${n}"/></detail></event>`);
    socket.write(xml('t-x-takp-v', `offer-${n}`, '<TakControl><TakProtocolSupport version="1"/></TakControl>'));
    // Reads what the client sends: CoT XML until the switch, then streaming frames decoded by protobufjs.
    let buf = Buffer.alloc(0);
    let proto = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (proto) {
          if (buf[0] !== 0xbf) return;
          const reader = protobuf.Reader.create(buf.subarray(1));
          let len: number;
          try {
            len = reader.uint32();
          } catch {
            return;
          }
          const start = 1 + reader.pos;
          if (buf.length < start + len) return;
          const message = TakMessage.toObject(TakMessage.decode(buf.subarray(start, start + len)), { longs: Number }) as { cotEvent?: { type?: string } };
          buf = buf.subarray(start + len);
          state.received.push(`protobuf:${message.cotEvent?.type}`);
          if (message.cotEvent?.type === 't-x-c-t') socket.write(pongFrame());
          continue;
        }
        const text = buf.toString('utf8');
        const end = text.indexOf('</event>');
        if (end < 0) return;
        const request = text.slice(0, end + '</event>'.length);
        buf = Buffer.from(text.slice(end + '</event>'.length), 'utf8');
        const type = /type="([^"]+)"/.exec(request)?.[1];
        state.received.push(`xml:${type}`);
        if (type !== 't-x-takp-q') continue;
        state.requests.push(request);
        if (/<TakRequest version="1"\/>/.test(request)) {
          socket.write(xml('t-x-takp-r', `offer-${n}`, '<TakControl><TakResponse status="true"/></TakControl>'));
          proto = true;
          socket.write(Buffer.concat([streamFrame(`PB-${n}-A`, `Protobuf ${n} A`), streamFrame(`PB-${n}-B`, `Protobuf ${n} B`)]));
        }
      }
    });
  });
  return new Promise<{ port: number; state: typeof state; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as { port: number }).port,
      state,
      close: () => new Promise<void>((done) => { for (const s of state.sockets) s.destroy(); server.close(() => done()); }),
    }));
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function connect(port: number, credential: FeedCredential | undefined, extra: { staleAfterSeconds?: number } = {}) {
  const store = Store.open(tempDir());
  const feed = createRunner({ store, bus: new EventBus(), credentialFor: () => credential }, FeedConfig.parse({ id: 'takserver', type: 'cot', url: `ssl://127.0.0.1:${port}`, intervalSeconds: 0.25, ...extra })) as TakServerFeed;
  feed.start();
  cleanups.push(() => store.close());
  cleanups.push(() => feed.stop());
  return { feed, store };
}

describe('the TAK Server client', () => {
  it(`connects over TLS with a PKCS#12 client certificate, negotiates protobuf, reads XML then protobuf, and reconnects after a drop${NOTE}`, async ({ skip }) => {
    if (!hasOpenssl) skip();
    const certs = makeCertificates(tempDir());
    const server = await startStandIn(certs);
    cleanups.push(() => server.close());
    const { feed, store } = connect(server.port, { tls: { pfx: certs.clientPfx.toString('base64'), passphrase: 'atakatak', ca: certs.ca } });
    expect(feed.transport).toBe('takserver');

    await waitFor(() => store.units.list().length === 3, 10_000, 'one XML and two protobuf positions');
    expect(server.state.clientNames).toEqual(['vigie-control-room']);
    expect(server.state.requests).toHaveLength(1);
    expect(server.state.requests[0]).toMatch(/type="t-x-takp-q"[\s\S]*<TakControl><TakRequest version="1"\/><\/TakControl>/);
    expect(server.state.requests[0]).toMatch(/uid="offer-1"/);
    expect(feed.protocol).toBe('protobuf');
    expect(Object.fromEntries(store.units.list().map((u) => [u.unitId, [u.callsign, u.team ?? null]]))).toEqual({
      'XML-1': ['Before negotiation 1', null], 'PB-1-A': ['Protobuf 1 A', 'Blue'], 'PB-1-B': ['Protobuf 1 B', 'Blue'],
    });

    // The server drops us: the client reconnects by itself, negotiates again, and reads on.
    for (const s of server.state.sockets) s.destroy();
    await waitFor(() => store.units.list().length === 6, 10_000, 'positions after the reconnection');
    expect(feed.connections).toBe(2);
    expect(server.state.requests).toHaveLength(2);
    expect(feed.status().errorCount).toBeGreaterThanOrEqual(1);
    expect(store.quarantine.count()).toBe(0);
  });

  it(`with PEM certificate and key as well; without a certificate it says what to set, and the server refuses an unknown one${NOTE}`, async ({ skip }) => {
    if (!hasOpenssl) skip();
    const certs = makeCertificates(tempDir());
    const server = await startStandIn(certs);
    cleanups.push(() => server.close());

    const pem = connect(server.port, { tls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca } });
    await waitFor(() => pem.store.units.list().length === 3, 10_000, 'positions with a PEM certificate');

    const none = connect(server.port, undefined);
    await waitFor(() => (none.feed.status().lastError ?? '') !== '', 5000, 'the missing certificate to be reported');
    expect(none.feed.status().lastError).toMatch(/no client certificate.*vigie credentials/);

    // A certificate from another CA: the stand-in refuses the handshake; the feed says so and keeps trying.
    const other = makeCertificates(tempDir());
    const stranger = connect(server.port, { tls: { cert: other.clientCert, key: other.clientKey, ca: certs.ca } });
    await waitFor(() => stranger.feed.status().consecutiveErrors >= 1, 10_000, 'the refused handshake to be reported');
    expect(stranger.store.units.list()).toEqual([]);
    expect(stranger.feed.status().state).toBe('failing');
  });

  it(`a certificate stored with \`vigie credentials --pfx\` (passphrase on standard input) is the one presented${NOTE}`, async ({ skip }) => {
    if (!hasOpenssl) skip();
    const dir = tempDir();
    const certs = makeCertificates(dir);
    const server = await startStandIn(certs);
    cleanups.push(() => server.close());
    const profile = tempDir();
    const out = execFileSync(process.execPath, [bin, 'credentials', '--profile', profile, '--feed', 'takserver', '--pfx', path.join(dir, 'client.p12'), '--ca', path.join(dir, 'ca.pem')], { input: 'atakatak\n', encoding: 'utf8' });
    expect(out).toMatch(/Stored the client certificate of feed "takserver"/);
    const stored = loadCredentials(profile).takserver;
    expect(stored).toEqual({ tls: { pfx: certs.clientPfx.toString('base64'), passphrase: 'atakatak', ca: certs.ca } });
    const { store } = connect(server.port, stored);
    await waitFor(() => store.units.list().length === 3, 10_000, 'positions with the stored certificate');
    expect(server.state.clientNames).toEqual(['vigie-control-room']);
  });

  it(`pings in the negotiated protocol (a streaming TakMessage after the switch) and keeps a quiet link open on the answers${NOTE}`, async ({ skip }) => {
    if (!hasOpenssl) skip();
    const certs = makeCertificates(tempDir());
    const server = await startStandIn(certs);
    cleanups.push(() => server.close());
    // A 3 s window: a ping every second, and a link silent for 6 s would be dropped as hung.
    const { feed, store } = connect(server.port, { tls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca } }, { staleAfterSeconds: 3 });
    await waitFor(() => store.units.list().length === 3, 10_000, 'the positions');
    await waitFor(() => server.state.received.filter((r) => r === 'protobuf:t-x-c-t').length >= 3, 15_000, 'three protobuf pings');
    // After the switch, nothing in XML from the client (protocol.txt 7a), and the answers kept the link up.
    const afterSwitch = server.state.received.slice(server.state.received.indexOf('xml:t-x-takp-q') + 1);
    expect(afterSwitch.every((r) => r.startsWith('protobuf:'))).toBe(true);
    expect(feed.connections).toBe(1);
    expect(store.quarantine.count()).toBe(0);
  });
});
