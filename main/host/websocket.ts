import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Role } from '../../common/domain/roles';
import type { WireMessage } from '../../common/rpc';
import type { VigieCore } from '../core/core';
import { dispatch, type CallContext } from '../core/dispatch';
import { BadRequest, decodePath, guardClientErrors, guardRequest, guardUpgrade, isInside, refuseUpgrade, requestUrl, secretEquals } from '../core/net/guard';

export interface ServeOptions {
  host: string;
  port: number;
  rendererDir: string;
  role: Role;
  /** Whose token this is: the calls made with it are theirs (default: the OS user running the server). */
  user?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
  '.wasm': 'application/wasm',
};

/** A client this far behind is dropped (it reconnects and reloads) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

function contentSecurityPolicy(wsOrigin: string): string {
  // MapLibre runs its workers from blob: URLs; nothing is ever loaded from another origin.
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigin}`,
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Browser mode: serves the built renderer and the contract over a WebSocket. Binds to loopback by
 * default; every WebSocket must present the token printed at start and come from our own origin.
 */
export async function serve(core: VigieCore, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let origins: Set<string> = new Set();
  let csp = '';

  const server = http.createServer(
    guardRequest('serve', (req, res) => {
      // Browsers send origin-form targets (`/path`); `*` and absolute forms are for proxies.
      if (!req.url?.startsWith('/')) throw new BadRequest('the request target must start with /');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', connection: 'close' }).end();
        return;
      }
      const url = requestUrl(req);
      let file = path.normalize(path.join(rendererDir, decodePath(url.pathname)));
      if (file.includes('\0')) throw new BadRequest('a NUL byte in the path');
      if (!isInside(rendererDir, file)) {
        res.writeHead(403).end();
        return;
      }
      if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(rendererDir, 'index.html');
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': path.basename(file) === 'index.html' ? 'no-store' : 'max-age=3600',
      });
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    }),
  );
  guardClientErrors('serve', server);

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on(
    'upgrade',
    guardUpgrade('serve', (req, socket, head) => {
      const url = requestUrl(req);
      const presented = url.searchParams.get('token') ?? '';
      const tokenOk = secretEquals(presented, token);
      const originOk = typeof req.headers.origin === 'string' && origins.has(req.headers.origin);
      const answer = core.roleAnswer(options.user ?? os.userInfo().username, options.role);
      const roleOk = answer.role !== null;
      if (url.pathname !== '/ws' || !tokenOk || !originOk || !roleOk) {
        const why =
          url.pathname !== '/ws' ? 'no such endpoint'
          : !tokenOk ? 'missing or wrong token'
          : !originOk ? `origin ${req.headers.origin ?? '(none)'} not allowed`
          : answer.role === null ? answer.why : '';
        refuseUpgrade(socket, url.pathname !== '/ws' ? 404 : 403, why);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    }),
  );

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    const ctx: CallContext = {
      user: options.user ?? os.userInfo().username,
      // What IT deployed decides (core.roleAnswer); options.role only on a single desk.
      role: core.roleFor(options.user ?? os.userInfo().username, options.role)!,
      origin: `ws:${req.socket.remoteAddress}:${req.socket.remotePort}`,
    };
    const send = (message: WireMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1013, 'client too slow; reconnect');
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const unsubscribe = core.bus.subscribe((event, payload) => send({ t: 'evt', event, payload }));
    ws.on('message', async (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return; // not JSON: not one of ours; nothing to answer
      }
      const reply = await dispatch(core.api, message, ctx, core.dispatchHooks);
      if (reply) send(reply);
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const base = `http://${shownHost}:${port}`;
  origins = new Set([base, ...(options.host === '127.0.0.1' ? [`http://localhost:${port}`] : [])]);
  csp = contentSecurityPolicy(`ws://${shownHost}:${port}${options.host === '127.0.0.1' ? ` ws://localhost:${port}` : ''}`);

  return {
    url: `${base}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.close(1001, 'Vigie is stopping');
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep HTTP connections alive; without this, close() would wait for them forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
