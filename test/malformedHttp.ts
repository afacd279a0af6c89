import net from 'node:net';

/**
 * A standing corpus of malformed HTTP requests, sent as raw bytes on loopback (no HTTP client
 * would send most of them). Every Vigie entry point must answer each with a 4xx or close the
 * connection, and stay up for the next client. `{path}` is the WebSocket endpoint, `{token}` a
 * valid-looking token slot. `finding`: the requests that killed a server before issue 14.
 */
export interface MalformedRequest {
  name: string;
  raw: string | Buffer;
  /** The exact status wanted, where one is (the findings: 400). */
  status?: number;
}

const upgradeHeaders = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

export function malformedCorpus(endpoint: string, extraUpgradeHeaders = ''): MalformedRequest[] {
  const up = upgradeHeaders + extraUpgradeHeaders;
  return [
    // The findings of issue 14.
    { name: 'bad percent-encoding in the path', raw: 'GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', status: 400 },
    { name: 'malformed absolute request target', raw: 'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', status: 400 },
    { name: 'malformed absolute target on the upgrade', raw: `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n${up}\r\n`, status: 400 },
    { name: 'bad percent-encoding on the upgrade', raw: `GET ${endpoint}/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n${up}\r\n` },
    // Request lines and framing Node's parser rejects.
    { name: 'garbage request line', raw: 'HELLO\r\n\r\n', status: 400 },
    { name: 'unknown HTTP version', raw: 'GET / HTTP/9.9\r\nHost: x\r\n\r\n' },
    { name: 'NUL in the request target', raw: 'GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n' },
    { name: 'raw non-UTF-8 bytes in the target', raw: Buffer.concat([Buffer.from('GET /'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]) },
    { name: 'header line without a colon', raw: 'GET / HTTP/1.1\r\nHost x\r\n\r\n', status: 400 },
    { name: 'header too large (64 KiB)', raw: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n` },
    { name: 'both Content-Length and Transfer-Encoding', raw: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n' },
    { name: 'negative Content-Length', raw: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', status: 400 },
    { name: 'bad chunk size', raw: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n' },
    { name: 'request that never ends its headers', raw: 'GET / HTTP/1.1\r\nHost: x\r\n' },
    { name: 'CONNECT tunnel request', raw: 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n' },
    { name: 'asterisk target', raw: 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
    { name: 'path traversal with encoded slashes', raw: 'GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n\r\n' },
    { name: 'absolute-form target (only proxies take those)', raw: 'GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
    { name: 'a method the server does not serve', raw: 'DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n' },
    { name: 'encoded NUL in the path', raw: 'GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n' },
    // Upgrades that must be refused before any WebSocket opens.
    { name: 'upgrade with no credentials', raw: `GET ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgradeHeaders}\r\n` },
    { name: 'upgrade with a bad version', raw: `GET ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: x\r\n${extraUpgradeHeaders}\r\n` },
    { name: 'upgrade with a broken query escape', raw: `GET ${endpoint}?token=%ZZ%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n${up}\r\n` },
    { name: 'upgrade with non-UTF-8 header bytes', raw: Buffer.concat([Buffer.from(`GET ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgradeHeaders}Authorization: Bearer `), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\r\nX-Vigie-Workstation: '), Buffer.from([0xe2, 0x82]), Buffer.from('\r\nOrigin: '), Buffer.from([0xfe]), Buffer.from('\r\n\r\n')]) },
    { name: 'upgrade to an unknown path', raw: `GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n${up}\r\n` },
  ];
}

/** Sends raw bytes and returns the status of the answer, or null when the server closed without one. */
export function sendRaw(port: number, raw: string | Buffer, timeoutMs = 3000): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}[^\r]*\r\n[\s\S]*\r\n\r\n/.test(text)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw);
  });
}
