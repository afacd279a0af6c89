import crypto from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { log } from '../log';

/**
 * Guards for every network entry point (browser mode, the hub). Parsing and decoding what a
 * stranger sent happens inside them: a malformed request gets a 400 and a line in the log, never
 * an exception that takes the process down with every seat on it.
 */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** The request target as a URL; a malformed one (`http://[`) is a BadRequest, not a crash. */
export function requestUrl(req: http.IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    throw new BadRequest(`malformed request target ${JSON.stringify(String(req.url).slice(0, 80))}`);
  }
}

/** decodeURIComponent that says BadRequest for a broken escape (`%E0%A4%A`). */
export function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new BadRequest(`bad percent-encoding in ${JSON.stringify(pathname.slice(0, 80))}`);
  }
}

/**
 * Compares a presented secret with the expected one in constant time: both are hashed to a
 * fixed-length digest first, so neither the length nor multibyte characters can throw or leak.
 */
export function secretEquals(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b) && expected.length > 0;
}

/** True when `file` is `dir` itself or inside it (the trailing separator: /srv/app is not /srv/app-evil). */
export function isInside(dir: string, file: string): boolean {
  const base = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return file === dir || file.startsWith(base);
}

function describe(req: http.IncomingMessage): string {
  return `${req.socket.remoteAddress ?? '?'} ${String(req.method).slice(0, 16)} ${String(req.url).slice(0, 80)}`;
}

/** Wraps an HTTP request handler: whatever it throws (or rejects) answers 400 and is logged. */
export function guardRequest(name: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>) {
  const fail = (req: http.IncomingMessage, res: http.ServerResponse, error: unknown) => {
    log(name).error({ err: error }, `refused a request from ${describe(req)}: ${(error as Error)?.message ?? String(error)}`);
    if (res.headersSent) res.destroy();
    else res.writeHead(error instanceof BadRequest ? 400 : 500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(error instanceof BadRequest ? 'bad request\n' : 'internal error\n');
  };
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const done = handler(req, res);
      if (done) done.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
  };
}

/** Answers a raw upgrade socket with a status and a one-line reason, then closes it. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\n\r\n${reason}\n`);
  socket.destroy();
}

/** Wraps an upgrade handler the same way: a throw answers 400 on the raw socket and is logged. */
export function guardUpgrade(name: string, handler: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>) {
  const fail = (req: http.IncomingMessage, socket: Duplex, error: unknown) => {
    log(name).error({ err: error }, `refused an upgrade from ${describe(req)}: ${(error as Error)?.message ?? String(error)}`);
    refuseUpgrade(socket, 400, 'bad request');
  };
  return (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset socket must not raise an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    try {
      const done = handler(req, socket, head);
      if (done) done.catch((error: unknown) => fail(req, socket, error));
    } catch (error) {
      fail(req, socket, error);
    }
  };
}

/** Requests Node's HTTP parser rejects (bad request line, headers too large…): a logged 400. */
export function guardClientErrors(name: string, server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code !== 'ECONNRESET') log(name).error({ err: error }, `refused a malformed request: ${error.code ?? error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
}

/** The stack (or the value) of what reached the last resort: the terminal shows it, not only the log file. */
const trace = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

let kept = false;
/**
 * Last resort for a service process (browser mode, the hub): an error no guard caught is logged,
 * said to have been survived, and the process goes on serving the other seats.
 */
export function keepProcessUp(name: string): void {
  if (kept) return;
  kept = true;
  // When whatever started the service goes away (a supervising script that died, a closed
  // terminal) its stdout and stderr close, and every later write there fails: EPIPE for a pipe, EIO
  // for a terminal hung up. Unheard, that error reached the handler below, whose log line to stderr
  // failed the same way, and so on: the service spun on one core and no longer stopped on SIGTERM.
  // Such output is dropped, never reported on the stream that failed (the log file, once the host
  // has chosen one, still gets every line), and the service goes on.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  process.on('uncaughtException', (error) => {
    log(name).error({ err: error }, `an unexpected error was caught by the last-resort handler; Vigie keeps running. Report it with this trace: ${trace(error)}`);
  });
  process.on('unhandledRejection', (reason) => {
    log(name).error({ err: reason }, `an unexpected promise rejection was caught by the last-resort handler; Vigie keeps running. Report it with this trace: ${trace(reason)}`);
  });
}
