import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Role } from '../../common/domain/roles';
import type { WireMessage } from '../../common/rpc';
import type { VigieCore } from '../core/core';
import { dispatch, type CallContext } from '../core/rpc';
import { checkLogin, loadLogins, loginPage, Sessions } from './logins';
import { BadRequest, decodePath, guardClientErrors, guardRequest, guardUpgrade, isInside, refuseUpgrade, requestUrl, secretEquals } from '../core/net/guard';
import { log } from '../core/log';
import { LOGIN_PAGE_CSP, rendererCsp } from '../core/net/csp';
import { eventForRole } from '../core/policy/roleView';

export interface ServeOptions {
  host: string;
  port: number;
  rendererDir: string;
  role: Role;
  /** Whose token this is: the calls made with it are theirs (default: the OS user running the server). */
  user?: string;
  token?: string;
  /**
   * Per-person logins (`<profile>/logins.json`, main/host/logins.ts): everyone logs in at /login
   * and gets a session token of their own; the OS user's token is then not accepted.
   */
  loginsFile?: string;
}

export interface RunningServer {
  /** What to open: the page with the OS user's token, or /login when people log in. */
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

/** A request body of at most `limit` bytes, as text; longer is a BadRequest. */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BadRequest(`a body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A client this far behind is dropped (it reconnects and reloads) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

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
      if (options.loginsFile && (req.url === '/login' || req.url.startsWith('/login?'))) return login(req, res);
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

  const sessions = new Sessions();
  const identities = new WeakMap<http.IncomingMessage, { user: string; role: Role }>();

  /**
   * GET /login: the form; POST /login: a session of one's own, or the form again with why. The form
   * page's referrer policy is same-origin: with no-referrer, Chromium posts it with `Origin: null`.
   */
  async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const page = (status: number, error: 'wrong' | 'limited' | null) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': LOGIN_PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'cache-control': 'no-store' }).end(loginPage(error));
    if (req.method === 'GET' || req.method === 'HEAD') return void page(200, null);
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();
    // A form posted from another site must not log anyone in here.
    if (typeof req.headers.origin !== 'string' || !origins.has(req.headers.origin)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('origin not allowed\n');
    const address = req.socket.remoteAddress ?? '?';
    if (!sessions.mayTry(address)) return void page(429, 'limited');
    const body = await readBody(req, 4096);
    const form = new URLSearchParams(body);
    const name = form.get('user') ?? '';
    const logins = loadLogins(options.loginsFile!);
    const loginRole = logins ? await checkLogin(logins, name, form.get('password') ?? '') : null;
    if (!loginRole) {
      sessions.failed(address);
      log('serve').warn({ user: name.slice(0, 64), address }, 'failed login');
      return void page(401, 'wrong');
    }
    // What IT deployed (machine policy, role policy) still decides; logins.json gives the role otherwise.
    const answer = core.roleAnswer(name, loginRole);
    if (!answer.role) return void res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`${answer.why}\n`);
    sessions.succeeded(address);
    const session = sessions.open(name, answer.role);
    core.store.audit.append({ t: Date.now(), user: name, role: answer.role, kind: 'action', action: 'login', target: 'browser-mode', origin: `http:${address}` });
    res.writeHead(303, { location: `/?token=${session}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on(
    'upgrade',
    guardUpgrade('serve', (req, socket, head) => {
      const url = requestUrl(req);
      const presented = url.searchParams.get('token') ?? '';
      const session = options.loginsFile ? sessions.find(presented) : null;
      const tokenOk = options.loginsFile ? session !== null : secretEquals(presented, token);
      const originOk = typeof req.headers.origin === 'string' && origins.has(req.headers.origin);
      const answer = session ? ({ role: session.role, from: 'single-desk' } as const) : core.roleAnswer(options.user ?? os.userInfo().username, options.role);
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
      identities.set(req, session ? { user: session.user, role: session.role } : { user: options.user ?? os.userInfo().username, role: answer.role! });
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    }),
  );

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    // Who this connection is was settled at the upgrade: the person of its session, or the OS user.
    // What IT deployed decides the role (core.roleAnswer); options.role only on a single desk.
    const who = identities.get(req)!;
    const ctx: CallContext = { user: who.user, role: who.role, origin: `ws:${req.socket.remoteAddress}:${req.socket.remotePort}` };
    const send = (message: WireMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1013, 'client too slow; reconnect');
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const unsubscribe = core.bus.subscribe((event, payload) => {
      // Each role is sent what its policy lets it see (a wall without free text, an auditor without the picture).
      const shown = eventForRole(ctx.role, event, payload, core.dispatchHooks.roleView?.());
      if (shown !== null) send({ t: 'evt', event, payload: shown as typeof payload });
    });
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
  csp = rendererCsp([`ws://${shownHost}:${port}`, ...(options.host === '127.0.0.1' ? [`ws://localhost:${port}`] : [])]);

  return {
    url: options.loginsFile ? `${base}/login` : `${base}/?token=${token}`,
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
